/**
 * Device profiles on disk: the ones shipped in `devices/<name>/profile.json`, or a path to a
 * profile.json, read and validated (`formats/devices/profile.ts`).
 */
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgespikeError, InputNotFoundError } from '../core/errors.ts';
import { LIMITS } from '../core/limits.ts';
import { parseJson } from '../core/jsonCheck.ts';
import { parseDeviceProfile, type DeviceProfile } from '../formats/devices/profile.ts';
import { readBoundedFileSync } from './boundedFile.ts';

/** The devices/ folder of this installation (from src/sources or dist/sources alike). */
export const DEVICES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'devices');

/** Names of the profiles shipped in devices/. */
export function knownProfileNames(dir: string = DEVICES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'profile.json')))
    .map((e) => e.name)
    .sort();
}

/**
 * Load a profile by name (a folder of devices/) or by path to a profile.json.
 * @throws InputNotFoundError listing the known profiles, ValidationError for a bad file,
 *   FormatError for one over the JSON size limit
 */
export function loadDeviceProfile(nameOrPath: string, dir: string = DEVICES_DIR): DeviceProfile {
  const path = nameOrPath.endsWith('.json') ? nameOrPath : join(dir, nameOrPath, 'profile.json');
  let textContent: string;
  try {
    textContent = readBoundedFileSync(path, LIMITS.jsonFileBytes, "the profile's size").toString('utf8');
  } catch (error) {
    if (error instanceof EdgespikeError) throw error;
    throw new InputNotFoundError(
      `unknown profile "${nameOrPath}"; known: ${knownProfileNames(dir).join(', ') || '(none)'} (or give a path to a profile.json)`,
    );
  }
  return parseDeviceProfile(parseJson(textContent, path), path);
}
