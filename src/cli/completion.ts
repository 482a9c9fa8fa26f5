import type { Command } from "commander";

/** A command's name, description and long options, as completion scripts need them. */
interface CommandSpec {
  name: string;
  description: string;
  options: { flag: string; description: string }[];
}

function specOf(program: Command): { commands: CommandSpec[]; global: CommandSpec["options"] } {
  const optionsOf = (c: Command) =>
    c.options
      .filter((o) => o.long)
      .map((o) => ({ flag: o.long as string, description: o.description }));
  return {
    commands: program.commands.map((c) => ({
      name: c.name(),
      description: c.description(),
      options: optionsOf(c),
    })),
    global: [...optionsOf(program), { flag: "--help", description: "show help" }],
  };
}

const quote = (s: string) => s.replace(/'/g, "'\\''");

/** The completion script for a shell, generated from the program's own commands and options. */
export function completionScript(shell: "bash" | "zsh" | "fish", program: Command): string {
  const { commands, global } = specOf(program);
  const names = commands.map((c) => c.name).join(" ");
  const globals = global.map((o) => o.flag).join(" ");
  if (shell === "bash") {
    const cases = commands
      .map((c) => `    ${c.name}) opts="${c.options.map((o) => o.flag).join(" ")}" ;;`)
      .join("\n");
    return `# linkman completion for bash: add to ~/.bashrc:  source <(linkman completion bash)
_linkman() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} ${globals}" -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts ${globals}" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o default -F _linkman linkman
`;
  }
  if (shell === "zsh") {
    const described = commands.map((c) => `    '${c.name}:${quote(c.description)}'`).join("\n");
    const arg = (o: { flag: string; description: string }) =>
      `'${o.flag}[${quote(o.description).replace(/[[\]]/g, "")}]'`;
    const cases = commands
      .map(
        (c) =>
          `    ${c.name}) _arguments ${[...c.options, ...global].map(arg).join(" ")} '*:file:_files' ;;`,
      )
      .join("\n");
    return `#compdef linkman
# linkman completion for zsh: add to ~/.zshrc:  source <(linkman completion zsh)
_linkman() {
  local -a commands
  commands=(
${described}
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case $words[2] in
${cases}
  esac
}
compdef _linkman linkman
`;
  }
  const lines = [
    "# linkman completion for fish: linkman completion fish > ~/.config/fish/completions/linkman.fish",
    "complete -c linkman -f",
    ...commands.map(
      (c) =>
        `complete -c linkman -n '__fish_use_subcommand' -a ${c.name} -d '${quote(c.description)}'`,
    ),
    ...global.map((o) => `complete -c linkman -l ${o.flag.slice(2)} -d '${quote(o.description)}'`),
    ...commands.flatMap((c) =>
      c.options.map(
        (o) =>
          `complete -c linkman -n '__fish_seen_subcommand_from ${c.name}' -l ${o.flag.slice(2)} -d '${quote(o.description)}'`,
      ),
    ),
  ];
  return `${lines.join("\n")}\n`;
}
