#!/bin/sh
# CI: build the app's image from dist/web without a Docker daemon, push it, and record what was
# pushed (repository, tag, digest) in image.json for the deploy steps.
#
#   CGO_ENABLED=0 go build -trimpath -o dist/web . && ci/build-image.sh
#
# Environment: TAG (default: the commit, 12 hex digits), IMAGE (ghcr.io/acme/web), BASE_IMAGE
# (a distroless static base; "scratch" works too), IMAGE_METADATA (image.json), BUMPER (the
# command that runs bumper), INSECURE_REGISTRY (a registry host reached over plain HTTP, such as
# a local test registry). Registry credentials: BUMPER_REGISTRY_USERNAME and
# BUMPER_REGISTRY_PASSWORD, or Docker's config.json.
set -eu
bumper=${BUMPER:-bumper}
image=${IMAGE:-ghcr.io/acme/web}
tag=${TAG:-$(git rev-parse --short=12 HEAD)}
base=${BASE_IMAGE:-gcr.io/distroless/static-debian12:nonroot}
metadata=${IMAGE_METADATA:-image.json}

set --
if [ -n "${INSECURE_REGISTRY:-}" ]; then
  set -- --insecure-registry "$INSECURE_REGISTRY"
fi

# The tarball is the image; pushing it uploads exactly those bytes, so the digest in image.json is
# the one the registry serves and the one the config repo will pin.
$bumper build-image --from "$base" --to "$image:$tag" \
  --layer dist/web:/app/web --entrypoint /app/web --port 8080 --user 65532 \
  --label org.opencontainers.image.title=web \
  --tar dist/web-image.tar "$@"
$bumper push dist/web-image.tar --to "$image:$tag" --metadata-file "$metadata" "$@"
