/** The commented manifest `linkman init` writes; `schema` is the `$schema` reference to use. */
export function starterManifest(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# linkman manifest: the links this machine should have.
# Check it with \`linkman validate\`, preview with \`linkman plan\`, make it so with \`linkman apply\`.
# The schema named above is a copy kept beside this file (commit it); \`linkman schema --write\`
# refreshes it. A machine's own profiles go in linkman.local.yaml here (do not commit it):
#   profiles: [work]
version: 1

# Relative targets resolve from here (default: this file's directory).
# base: .

# Variables for \${NAME} in link and target; the environment is used when a name is not here.
vars:
  CONFIG: \${XDG_CONFIG_HOME:-~/.config}

# Options for every entry; each entry may override them.
defaults:
  kind: symlink # symlink | hardlink | junction
  relative: false # store symlink targets relative to the link's directory
  mkdirs: true # create missing parent directories of links
  onConflict: fail # fail | skip | backup (move a real file in the way to a backup)
  ifMissing: error # error | skip (when the target does not exist)

# More manifests, merged after this one; a trailing ? means it may be missing.
include:
  - local.yaml?

links:
  # link (where the link goes): target (what it points to, relative to base)
  - link: ~/.gitconfig
    target: git/gitconfig

  # A directory target makes a directory symlink.
  # - link: \${CONFIG}/nvim
  #   target: nvim

  # A glob links every match below the directory; a trailing / matches directories.
  # - link: ~/
  #   target: home/**
  #   exclude: ["*.swp"]

  # Only on some machines: os, arch, host (globs), profile, env.
  # - link: ~/.ssh/config
  #   target: ssh/config
  #   when: { os: [linux, darwin], profile: [work] }
`;
}
