/**
 * Device profiles on disk: the ones shipped in `devices/<name>/profile.json` and their variants
 * `devices/<name>/<variant>.profile.json` (known as `<name>-<variant>`, e.g.
 * `sparkfun-ad8232-beats`), or a path to a profile.json, read and validated
 * (`formats/devices/profile.ts`).
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

const VARIANT_SUFFIX = '.profile.json';

/** The profile files shipped in devices/, by name: `<folder>` and `<folder>-<variant>`. */
function shippedProfiles(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  if (!existsSync(dir)) return found;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || !existsSync(join(dir, e.name, 'profile.json'))) continue;
    found.set(e.name, join(dir, e.name, 'profile.json'));
    for (const f of readdirSync(join(dir, e.name))) {
      if (f.endsWith(VARIANT_SUFFIX) && f.length > VARIANT_SUFFIX.length) found.set(`${e.name}-${f.slice(0, -VARIANT_SUFFIX.length)}`, join(dir, e.name, f));
    }
  }
  return found;
}

/** Names of the profiles shipped in devices/ (folders, then their variants as `<folder>-<variant>`), sorted. */
export function knownProfileNames(dir: string = DEVICES_DIR): string[] {
  return [...shippedProfiles(dir).keys()].sort();
}

/**
 * Load a profile by name (a folder of devices/) or by path to a profile.json.
 * @throws InputNotFoundError listing the known profiles, ValidationError for a bad file,
 *   FormatError for one over the JSON size limit
 */
export function loadDeviceProfile(nameOrPath: string, dir: string = DEVICES_DIR): DeviceProfile {
  const path = nameOrPath.endsWith('.json') ? nameOrPath : (shippedProfiles(dir).get(nameOrPath) ?? join(dir, nameOrPath, 'profile.json'));
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
