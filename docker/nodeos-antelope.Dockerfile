# nodeos image from an official Antelope release package (Leap or Spring .deb), for users who can
# download it: pass the .deb in the build context, e.g.
#   docker build -f docker/nodeos-antelope.Dockerfile --build-arg DEB=leap_5.0.3_amd64.deb \
#     -t my/nodeos:5.0.3 <dir containing the .deb>
# then set `eos-network:node.image` to my/nodeos:5.0.3. An official image that already has nodeos on
# PATH can be used directly instead; nothing else is required of it.
ARG BASE_IMAGE=debian:bookworm-slim
FROM ${BASE_IMAGE}
ARG DEB
COPY ${DEB} /tmp/antelope.deb
RUN set -eu; apt-get update; apt-get install -y --no-install-recommends /tmp/antelope.deb; \
    rm -rf /var/lib/apt/lists/* /tmp/antelope.deb; nodeos --version
WORKDIR /eos
CMD ["nodeos", "--version"]
