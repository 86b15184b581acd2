#!/bin/sh
# Promote to production, after the approval gate: set the production overlay to the image
# staging runs, pinned by digest, and push. No working tree: the config repo is read, edited,
# committed and pushed in memory.
#
#   CONFIG_REPO=https://github.com/acme/config.git ci/promote-production.sh
#
# Environment: CONFIG_REPO (required), CONFIG_BRANCH (main), IMAGE (ghcr.io/acme/web),
# IMAGE_METADATA (optional: the image.json of this pipeline's build; when given, staging must
# run that very digest), BUMPER (the command that runs bumper). Credentials as for
# deploy-staging.sh.
set -eu
: "${CONFIG_REPO:?CONFIG_REPO must name the config repo}"
bumper=${BUMPER:-bumper}
branch=${CONFIG_BRANCH:-main}
image=${IMAGE:-ghcr.io/acme/web}

# What staging runs, as bumper reads it: a dry run that would set a placeholder tag reports the
# current reference as "old", and writes and pushes nothing.
staging=$($bumper bump-manifest --repo "$CONFIG_REPO" --branch "$branch" --dry-run --output json \
  -i "$image:placeholder" overlays/staging | sed -n 's/.*"old":"\([^"]*\)".*/\1/p')
case $staging in
  "$image":*@sha256:* | "$image"@sha256:*) ;;
  *)
    echo "promote-production: staging runs '$staging', not $image pinned by digest" >&2
    exit 1
    ;;
esac

if [ -n "${IMAGE_METADATA:-}" ]; then
  built=$(sed -n 's/.*"digest" *: *"\(sha256:[0-9a-f]*\)".*/\1/p' "$IMAGE_METADATA")
  if [ "${staging#*@}" != "$built" ]; then
    echo "promote-production: staging runs ${staging#*@}, this pipeline built $built;" \
      "promote from the pipeline whose build staging runs" >&2
    exit 1
  fi
fi

$bumper kustomize-set-image --repo "$CONFIG_REPO" --branch "$branch" --push \
  -f overlays/production/kustomization.yaml -m 'Promote {summary} to production' "$staging"
