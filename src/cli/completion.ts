import path from "node:path";
import type { Command, Option } from "commander";
import type { ManifestFile } from "../manifest/manifest.js";
import { readManifest } from "../manifest/read.js";
import { loadManifest, locateManifest } from "../session/load.js";
import type { CliIO } from "./io.js";

/** What `__complete` answers when the shell should complete file names itself. */
export const FILES = ":files";

/** The values of a command's first argument, where they are a fixed list. */
const FIRST_ARGUMENT: Record<string, string[]> = {
  completion: ["bash", "zsh", "fish"],
  import: ["dotbot", "stow"],
  schema: ["manifest", "plan", "apply", "status"],
};

/** The commands whose arguments are link paths of the manifest. */
const TAKES_LINKS = new Set(["explain", "diff", "unlink", "adopt", "plan", "status"]);

/**
 * The candidates for the last of `words` (the command line up to the cursor, the program's
 * name first), already filtered by what is typed; `[FILES]` when file names fit. Global
 * options may come before the command; `--opt=value` and bash's split `--opt = value` both work.
 */
export async function complete(
  program: Command,
  words: readonly string[],
  io: CliIO,
): Promise<string[]> {
  const rest = words.slice(1);
  const cur = rest.pop() ?? "";
  let command: Command | undefined;
  let config: string | undefined;
  let pending: Option | undefined;
  let positional = 0;
  const optionsNow = () => [...program.options, ...(command?.options ?? [])];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (word.startsWith("-") && word.length > 1 && !word.includes("=")) {
      const option = optionsNow().find((o) => o.long === word || o.short === word);
      if (!option || !(option.required || option.optional)) continue;
      if (rest[i + 1] === "=") i++;
      const value = rest[i + 1];
      i++;
      if (value === undefined) pending = option;
      else if (option.long === "--config") config = value;
    } else if (word.startsWith("--") && word.includes("=")) {
      const [flag, value] = [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)];
      if (flag === "--config") config = value;
    } else if (!command) {
      command = program.commands.find((c) => c.name() === word || c.aliases().includes(word));
      if (!command) return [];
    } else positional++;
  }
  const matching = (list: readonly string[], prefix = "") =>
    list[0] === FILES
      ? [FILES]
      : list.filter((w) => w.startsWith(cur.slice(prefix.length))).map((w) => prefix + w);

  if (pending) return matching(await optionValues(pending, config, io));
  if (cur.startsWith("--") && cur.includes("=")) {
    const flag = cur.slice(0, cur.indexOf("=") + 1);
    const option = optionsNow().find((o) => `${o.long}=` === flag);
    if (!option) return [];
    return matching(await optionValues(option, config, io), flag);
  }
  if (cur.startsWith("-")) {
    const flags = optionsNow().flatMap((o) =>
      o.hidden ? [] : [o.long, o.short].filter((f): f is string => f !== undefined),
    );
    return matching([...new Set([...flags, "--help", "-h"])]);
  }
  if (!command) {
    return matching(program.commands.filter((c) => !isHidden(c)).map((c) => c.name()));
  }
  const name = command.name();
  const fixed = FIRST_ARGUMENT[name];
  if (fixed) return positional === 0 ? matching(fixed) : name === "import" ? [FILES] : [];
  if (TAKES_LINKS.has(name)) return matching(await linkPaths(config, cur, io));
  return command.registeredArguments.length > 0 ? [FILES] : [];
}

/** Commander keeps `hidden` private on commands; the public help lists only the visible ones. */
function isHidden(c: Command): boolean {
  return (c as unknown as { _hidden?: boolean })._hidden === true;
}

/** The values an option takes: its choices, the manifest's profiles, or file names. */
async function optionValues(option: Option, config: string | undefined, io: CliIO) {
  if (option.argChoices) return option.argChoices;
  if (option.long === "--profile") return profilesOf(config, io);
  return [FILES];
}

/** Every profile named in a `when` of the manifest or the files it includes. */
async function profilesOf(config: string | undefined, io: CliIO): Promise<string[]> {
  const found = await locateManifest(io, { config });
  if (!found.ok) return [];
  const manifest = await readManifest(found.value.file, io);
  if (!manifest.ok) return [];
  const names = new Set<string>();
  const visit = (file: ManifestFile) => {
    for (const entry of file.entries) for (const p of entry.when?.profile ?? []) names.add(p);
    file.includes.forEach(visit);
  };
  visit(manifest.value.root);
  return [...names].sort();
}

/** The manifest's link paths as the user types them: with `~` under the home, unless `cur` is absolute. */
async function linkPaths(config: string | undefined, cur: string, io: CliIO): Promise<string[]> {
  const loaded = await loadManifest(io, { config });
  if (!loaded.ok) return [];
  const home = io.homedir;
  return loaded.value.links.map(({ link }) =>
    !cur.startsWith("/") && (link === home || link.startsWith(home + path.sep))
      ? `~${link.slice(home.length)}`
      : link,
  );
}

/**
 * The completion script for a shell. Each asks `linkman __complete -- WORDS…` for the
 * candidates, so the manifest's profiles and link paths complete too, and every shell
 * completes alike.
 */
export function completionScript(shell: "bash" | "zsh" | "fish"): string {
  if (shell === "bash") {
    return `# linkman completion for bash: add to ~/.bashrc:  source <(linkman completion bash)
_linkman() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line
  COMPREPLY=()
  # Read line by line (not compgen -W, which would expand what the manifest holds).
  while IFS= read -r line; do
    if [ "$line" = "${FILES}" ]; then
      compopt -o filenames 2>/dev/null
      while IFS= read -r line; do COMPREPLY+=("$line"); done < <(compgen -f -- "$cur")
      return
    fi
    COMPREPLY+=("$line")
  done < <(linkman __complete -- "\${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null)
}
complete -F _linkman linkman
`;
  }
  if (shell === "zsh") {
    return `#compdef linkman
# linkman completion for zsh: add to ~/.zshrc:  source <(linkman completion zsh)
# (it runs compinit itself when the shell has not: compdef needs it.)
_linkman() {
  local -a candidates
  candidates=("\${(@f)$(linkman __complete -- "\${(@)words[1,CURRENT]}" 2>/dev/null)}")
  if [[ "\${candidates[1]}" == "${FILES}" ]]; then
    _files
  else
    compadd -Q -a candidates
  fi
}
if (( ! $+functions[compdef] )); then
  autoload -Uz compinit && compinit
fi
compdef _linkman linkman
`;
  }
  return `# linkman completion for fish: linkman completion fish > ~/.config/fish/completions/linkman.fish
function __linkman_complete
    set -l candidates (linkman __complete -- (commandline -opc) (commandline -ct) 2>/dev/null)
    if test "$candidates[1]" = "${FILES}"
        __fish_complete_path (commandline -ct)
    else
        printf '%s\\n' $candidates
    end
end
complete -c linkman -f -a '(__linkman_complete)'
`;
}
