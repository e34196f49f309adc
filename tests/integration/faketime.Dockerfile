# Test image: the project's node image plus Debian's libfaketime, so a test can move the nodes'
# clocks forward (eosio.system pays rewards only a day after a producer registers). The offset is
# reread from /etc/faketimerc at most 2 s after its last read; "+0" runs on real time. Only CLOCK_REALTIME moves:
# the monotonic clock that drives nodeos' timers stays real.
ARG BASE
FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends libfaketime \
 && rm -rf /var/lib/apt/lists/* \
 && echo "+0" > /etc/faketimerc
ENV LD_PRELOAD=/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1 \
    FAKETIME_DONT_FAKE_MONOTONIC=1 \
    FAKETIME_CACHE_DURATION=1
