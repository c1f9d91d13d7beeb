#!/bin/bash
# Proves (guest case ctl-cli): iopmemctl list, bind, info, mode, unbind;
# --json output parses and matches the human output; refusals name the
# problem and exit 3; bad arguments exit 2 with a message.
. "$(dirname "$0")/lib/tap.sh"
vm ctl-cli
done_testing
