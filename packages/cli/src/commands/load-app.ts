/**
 * Loads the user's app module for commands that need its tasks (`worker`, `enqueue
 * --app`, `beat --app`), relative to the CLI's working directory. A module that fails
 * to load or defines no task is APP_MODULE_INVALID.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type LoadedApp, loadAppModule } from '@stem/worker';
import { CliError } from '../cli-error';
import type { OptionSpec } from '../command-line/command-spec';

export const APP_OPTION: OptionSpec = {
  type: 'string',
  value: '<module>',
  configurable: true,
  description: 'module whose exported defineTask() definitions are the tasks (env STEM_APP)',
};

/** A path (relative to `cwd`) or a URL, as the URL string import() takes. */
export function appModuleHref(specifier: string, cwd: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(specifier) && !/^[a-z]:[\\/]/i.test(specifier)) return specifier;
  return pathToFileURL(isAbsolute(specifier) ? specifier : resolve(cwd, specifier)).href;
}

export async function loadApp(specifier: string, cwd: string): Promise<LoadedApp> {
  if (specifier.trim() === '')
    throw new CliError(
      'APP_MODULE_INVALID',
      '--app is empty: name the module that defines the tasks',
    );
  try {
    return await loadAppModule(appModuleHref(specifier, cwd));
  } catch (error) {
    throw new CliError('APP_MODULE_INVALID', (error as Error).message, { cause: error });
  }
}
