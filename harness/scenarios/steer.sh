#!/usr/bin/env bash
# harness/scenarios/steer.sh: the fleet scenario's rollouts an operator steers with `hoist-cli
# rollout` (issue 15), on a fleet of their own: three nodes, one governor of capacity 1, a 3-server
# NATS cluster, a 100 ms probe. After every node is on v1 (section 1) and then v4 (a KV write):
#   5. canary -> promote (a node's Choria server killed meanwhile, and back), rollout status --watch;
#   6. canary -> abort; 7. pause -> resume, a NATS server stopped meanwhile, --watch on a terminal;
#   8. a deadline passed with --auto-revert;
# each with every node's downtime and the fleet's availability.
#
#   bash harness/test.sh steer       (or alone: bash harness/scenarios/steer.sh)
#
# It is harness/scenarios/fleet.sh's second part (HOIST_FLEET_PART=steer): the `fleet` stage runs
# the first (sections 1 to 4 and 9) at the same time, on a fleet of its own. Prints TAP and
# `steer: N passed, M failed`.
HOIST_FLEET_PART=steer exec bash "$(dirname "${BASH_SOURCE[0]}")/fleet.sh" "$@"
