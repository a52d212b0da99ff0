/**
 * `edgespike devices`: the serial ports present and the device profiles edgespike knows.
 */
import { readdirSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { knownProfileNames, loadDeviceProfile } from '../sources/deviceProfile.ts';
import { booleanFlags, defineCommand } from './command.ts';

export const DEVICES_HELP = `Usage: edgespike devices [--json]

List the serial ports present (node-serialport's SerialPort.list(); where that cannot run,
the /dev/tty* devices that look like serial ports) and the known device profiles.

Options:
  --json       machine-readable output
  -h, --help   show this help
`;

interface PortRow {
  readonly path: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
  readonly vendorId?: string;
  readonly productId?: string;
}

async function listPorts(): Promise<{ ports: PortRow[]; note?: string }> {
  try {
    const ports = await SerialPort.list();
    return { ports: ports.map((p) => ({ path: p.path, manufacturer: p.manufacturer, serialNumber: p.serialNumber, vendorId: p.vendorId, productId: p.productId })) };
  } catch (error) {
    // SerialPort.list() needs udevadm on Linux; containers often lack it. Fall back to /dev.
    const serialLike = (n: string): boolean => /^(ttyACM|ttyUSB|ttyAMA|ttyS)\d+$|^serial\d$|^rfcomm\d+$/.test(n);
    const names = ((): string[] => {
      try {
        return readdirSync('/dev').filter(serialLike);
      } catch {
        return [];
      }
    })();
    return { ports: names.sort().map((n) => ({ path: `/dev/${n}` })), note: `SerialPort.list() failed (${(error as Error).message}); listed /dev instead` };
  }
}

export default defineCommand({
  name: 'devices',
  help: DEVICES_HELP,
  options: booleanFlags('json'),
  run: async ({ values }) => {
    const { ports, note } = await listPorts();
    const profiles = knownProfileNames().map((name) => loadDeviceProfile(name));
    if (values.json === true) {
      process.stdout.write(JSON.stringify({ ports, note, profiles: profiles.map(({ path: _p, ...p }) => p) }, null, 2) + '\n');
      return 0;
    }
    const lines = ['Serial ports:'];
    if (ports.length === 0) lines.push('  (none found)');
    for (const p of ports) {
      const about = [p.manufacturer, p.vendorId !== undefined ? `${p.vendorId}:${p.productId ?? ''}` : undefined, p.serialNumber].filter(Boolean).join(', ');
      lines.push(`  ${p.path}${about === '' ? '' : `  (${about})`}`);
    }
    if (note !== undefined) lines.push(`  note: ${note}`);
    lines.push('', 'Device profiles (--profile NAME):');
    for (const p of profiles) {
      lines.push(`  ${p.name.padEnd(18)} ${p.framing.padEnd(16)} ${String(p.baudRate).padStart(7)} baud ${String(p.sampleRateHz).padStart(6)} Hz  ${p.signal}  ${p.description}`);
    }
    if (profiles.length === 0) lines.push('  (none found in devices/)');
    lines.push('', 'Run one with: edgespike run --device <port> --profile <name>');
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
});
