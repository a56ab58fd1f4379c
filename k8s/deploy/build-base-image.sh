#!/usr/bin/env bash
# A base image for jib without any container registry: Debian bookworm (minbase) with a Java 17
# runtime, iproute2 and util-linux (nsenter), from Debian's packages, written as a `docker save`
# tar that jib takes as `tar://`:
#
#   sudo k8s/deploy/build-base-image.sh /tmp/dpu-vpc-base        # about 2 minutes, 300 MB
#   mvn -Pimage -pl app -am package -DskipTests -Dvpc.image.base=tar:///tmp/dpu-vpc-base/base.tar
#
# Needs root and debootstrap (apt-get install debootstrap). The image has the machine's
# architecture; for the DPUs' arm64 run it on an arm64 machine. A registry base image is simpler
# where a registry is reachable (README.md, "The image").
set -euo pipefail

OUT="${1:?usage: $0 OUTPUT-DIR [MIRROR]}"
MIRROR="${2:-http://deb.debian.org/debian}"
ROOTFS="$OUT/rootfs"
ARCH="$(dpkg --print-architecture)"

[ "$(id -u)" = 0 ] || { echo "$0: run as root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "$0: apt-get install debootstrap" >&2; exit 1; }

rm -rf "$ROOTFS" && mkdir -p "$OUT"
debootstrap --variant=minbase --include=openjdk-17-jre-headless,iproute2,util-linux,ca-certificates \
  bookworm "$ROOTFS" "$MIRROR"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
  "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/locale/* "$ROOTFS"/usr/share/info/*
# The controller's user (controller.yaml runs it as 65532); the node agent runs as root.
echo 'nonroot:x:65532:65532::/home/nonroot:/usr/sbin/nologin' >> "$ROOTFS/etc/passwd"
echo 'nonroot:x:65532:' >> "$ROOTFS/etc/group"
install -d -o 65532 -g 65532 "$ROOTFS/home/nonroot"

cd "$OUT"
tar -C "$ROOTFS" --numeric-owner --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf layer.tar .
DIFF_ID="sha256:$(sha256sum layer.tar | cut -d' ' -f1)"
JAVA_HOME="/usr/lib/jvm/java-17-openjdk-$ARCH"
cat > config.json <<EOF
{"architecture":"$ARCH","os":"linux",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$JAVA_HOME"]},
 "rootfs":{"type":"layers","diff_ids":["$DIFF_ID"]},
 "history":[{"created_by":"k8s/deploy/build-base-image.sh: debootstrap bookworm minbase + openjdk-17-jre-headless iproute2 util-linux"}]}
EOF
echo '[{"Config":"config.json","RepoTags":["dpu-vpc-base:bookworm-jre17"],"Layers":["layer.tar"]}]' > manifest.json
tar -cf base.tar manifest.json config.json layer.tar
rm -f layer.tar config.json manifest.json
echo "$OUT/base.tar: use -Dvpc.image.base=tar://$OUT/base.tar"
