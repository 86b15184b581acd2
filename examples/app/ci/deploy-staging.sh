#!/bin/sh
# Deploy to staging: record the image CI pushed (image.json) in the config repo's staging overlay
# and push the commit; Argo CD or Flux deploys it from there.
#
#   CONFIG_REPO=https://github.com/acme/config.git ci/deploy-staging.sh
#
# Environment: CONFIG_REPO (required), CONFIG_BRANCH (main), IMAGE_METADATA (image.json, written
# by ci/build-image.sh), BUMPER (the command that runs bumper). Credentials for an HTTPS
# CONFIG_REPO: GIT_TOKEN; for SSH, the job's key and known_hosts.
set -eu
: "${CONFIG_REPO:?CONFIG_REPO must name the config repo}"
bumper=${BUMPER:-bumper}
branch=${CONFIG_BRANCH:-main}
metadata=${IMAGE_METADATA:-image.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A shallow clone with the staging overlay set to the image that was pushed, by digest (exit 3
# when the overlay does not use the image: a typo here must not pass as a deploy) ...
$bumper bump-manifest --repo "$CONFIG_REPO" --branch "$branch" -C "$work/config" \
  --from-metadata "$metadata" overlays/staging
# ... then one commit, pushed. When another pipeline pushed first, the same bump is applied
# again on the new tip, so neither deploy is lost; nothing changed is no commit.
$bumper commit-push -C "$work/config" -m 'Deploy {summary} to staging ({short_sha})'
