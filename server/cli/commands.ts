// The command table. Each command's module is loaded only when it runs, so a
// short command (frame import, migrate) does not pay for loading the web app,
// the PDF renderer and the spreadsheet writer.
import type { AppConfig } from '../config';
import type { CliIo } from './run';

export interface CommandContext {
  config: AppConfig;
  io: CliIo;
}

export type Command = (args: string[], ctx: CommandContext) => Promise<number>;

export const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./system-commands')).serveCommand,
  migrate: async () => (await import('./system-commands')).migrate,
  user: async () => (await import('./system-commands')).user,
  frame: async () => (await import('./frame-commands')).frame,
  survey: async () => (await import('./survey-commands')).survey,
  wave: async () => (await import('./wave-commands')).wave,
  responses: async () => (await import('./responses-commands')).responses,
  report: async () => (await import('./report-commands')).report,
  branch: async () => (await import('./branch-commands')).branch,
  demo: async () => (await import('./demo-commands')).demo,
  'demo-serve': async () => (await import('./demo-commands')).demoServe,
};
