"""Moving real events: ``bp smoke`` (Connect to raw, optionally to curated) and ``bp run`` (the sensor job).

Against a deployed stack the commands use each cloud's own SDK and the
stack's outputs; with ``--local`` they run against emulators started by the
command, and say for every hop whether it ran in the emulator or was
bridged by the command (and why).
"""
