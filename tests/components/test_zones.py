from components.zones import INTERNET, REACHABILITY, Zone, allowed_sources, is_allowed


def test_the_internet_reaches_only_the_edge():
    assert {dst for src, dst in REACHABILITY if src == INTERNET} == {Zone.EDGE.value}


def test_data_is_reached_only_by_processing_and_serving():
    assert allowed_sources(Zone.DATA) == ["processing", "serving"]


def test_processing_accepts_nothing_from_outside_its_zone():
    assert allowed_sources(Zone.PROCESSING) == ["processing"]


def test_the_dashboard_front_door_cannot_reach_the_lake():
    assert not is_allowed("edge", "data")
    assert is_allowed("edge", "serving")


def test_zones_listen_on_https_only():
    from components.zones import ZONE_PORTS

    assert ZONE_PORTS == {Zone.EDGE: (443,), Zone.SERVING: (443,), Zone.DATA: (443,), Zone.PROCESSING: ()}
