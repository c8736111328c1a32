/**
 * `comb completion bash|zsh` prints a script that asks `comb __complete WORDS…` for the candidates, so
 * completion always follows the commands of the installed version.
 */
import type { Command } from 'commander';
import { UsageError } from './output.ts';

const BASH = `# comb completion for bash: source <(comb completion bash)
_comb() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -W "$(comb __complete "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "\${COMP_WORDS[COMP_CWORD]}"))
}
complete -F _comb comb
`;

const ZSH = `#compdef comb
# comb completion for zsh: source <(comb completion zsh)
_comb() {
  local -a candidates
  candidates=("\${(@f)$(comb __complete "\${(@)words[2,CURRENT-1]}" 2>/dev/null)}")
  compadd -a candidates
}
compdef _comb comb
`;

/** The subcommands (names and aliases) and options that may follow `words`. */
export function candidates(program: Command, words: string[]): string[] {
  let command = program;
  for (const word of words) {
    const next = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (next) command = next;
  }
  // The global options apply everywhere; --version only to `comb` itself.
  const global = program.options.filter((o) => command === program || o.long !== '--version');
  const options = [...new Set([...command.options, ...global].map((o) => o.long).filter((o): o is string => !!o)), '--help'];
  return [...command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden).flatMap((c) => [c.name(), ...c.aliases()]), ...options];
}

export function completionCommands(program: Command): void {
  program.command('completion <shell>').description('print the completion script: bash or zsh (source <(comb completion bash))')
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') throw new UsageError(`completion: bash or zsh, not ${shell}`);
      process.stdout.write(shell === 'bash' ? BASH : ZSH);
    });
  program.command('__complete [words...]', { hidden: true }).action((words: string[] = []) => {
    process.stdout.write(`${candidates(program, words).join('\n')}\n`);
  });
}
