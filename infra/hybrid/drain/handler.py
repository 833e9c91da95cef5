"""handle: the Lambda entry point, invoked every few minutes by EventBridge Scheduler.

Reads its settings from the function's environment (set by the stack; none is
a secret):

- ``DRAIN_SUBSCRIPTION``: ``projects/PROJECT/subscriptions/NAME``;
- ``DRAIN_DELIVERY_STREAM``: the Firehose delivery stream's name;
- ``DRAIN_CREDENTIAL_CONFIGURATION``: the ``external_account`` JSON of the
  edge's workload identity pool provider;

and the runtime's own ``AWS_REGION`` and role credentials. Logs one JSON line
with the run's counts.
"""

from __future__ import annotations

import json
import os
from typing import Any

from .delivery import FirehoseDelivery
from .drain import drain
from .federation import GoogleFederation
from .subscription import Subscription

SUBSCRIPTION_ENV = "DRAIN_SUBSCRIPTION"
DELIVERY_STREAM_ENV = "DRAIN_DELIVERY_STREAM"
CREDENTIALS_ENV = "DRAIN_CREDENTIAL_CONFIGURATION"


def handle(event: Any, context: Any) -> dict[str, int]:
    import botocore.session

    region = os.environ["AWS_REGION"]
    session = botocore.session.get_session()
    federation = GoogleFederation(
        json.loads(os.environ[CREDENTIALS_ENV]),
        lambda: session.get_credentials().get_frozen_credentials(),
        region,
    )
    subscription = Subscription(os.environ[SUBSCRIPTION_ENV], federation.token)
    delivery = FirehoseDelivery(session.create_client("firehose", region_name=region), os.environ[DELIVERY_STREAM_ENV])
    report = drain(subscription, delivery, time_left=lambda: context.get_remaining_time_in_millis() / 1000)
    print(json.dumps({"drained": report.as_dict(), "subscription": subscription.path}))
    return report.as_dict()
