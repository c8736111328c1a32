#!/usr/bin/env node
/**
 * `comb`, the command line of opencomb: `comb <resource> <verb> [args]` over `opencomb/client`.
 * docs/cli.md describes every command; exit codes are in output.ts (EXIT).
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { adminCommands } from './admin.ts';
import { apiCommand } from './api.ts';
import { completionCommands } from './completion.ts';
import { resolveSettings } from './config.ts';
import { loginCommand } from './login.ts';
import { describeFailure, EXIT } from './output.ts';
import { resourceCommands } from './resources.ts';

// src/cli and dist/cli are both two folders below the package.
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

function buildProgram(): Command {
  const program = new Command('comb')
    .description('command line of opencomb (the CloudComb OpenAPI): comb <resource> <verb> [args]')
    .version(VERSION)
    .option('--endpoint <url>', 'server (default COMB_ENDPOINT, the profile\'s, or http://127.0.0.1:8163)')
    .option('--profile <name>', 'profile saved by comb login (default COMB_PROFILE, or the last logged in)')
    .option('-o, --output <format>', 'table or json', 'table')
    .showHelpAfterError()
    .exitOverride();
  loginCommand(program);
  resourceCommands(program);
  adminCommands(program);
  apiCommand(program);
  completionCommands(program);
  // Every subcommand reports usage errors through the same exit code.
  const override = (c: Command) => {
    c.exitOverride();
    c.commands.forEach(override);
  };
  override(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage; // help, version: 0; commander printed the rest
    let endpoint = '';
    try {
      endpoint = resolveSettings(program.opts()).endpoint;
    } catch {
      // the configuration itself is what failed: the line below says so
    }
    const { line, code } = describeFailure(err, endpoint);
    process.stderr.write(`${line}\n`);
    return code;
  }
}

process.exitCode = await main(process.argv);
