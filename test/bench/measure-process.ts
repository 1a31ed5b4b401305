/**
 * Runs a command as a child process and measures it whole (start-up included): wall time and
 * peak resident memory (VmHWM from /proc, polled until exit).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ProcessMeasurement {
  label: string;
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
  stdout: string;
}

export function measureProcess(label: string, command: string, args: string[], options: { cwd?: string } = {}): Promise<ProcessMeasurement> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let peakKb = 0;
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', () => {});
    const poll = setInterval(() => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) peakKb = Math.max(peakKb, Number(match[1]));
      } catch {
        // the process has exited
      }
    }, 20);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      resolve({ label, seconds, peakRssMb: peakKb / 1024, exitCode, stdout });
    });
  });
}

export function formatRow(measurement: ProcessMeasurement, records: number): string {
  const rate = records / measurement.seconds / 1e6;
  return `${measurement.label.padEnd(34)} ${measurement.seconds.toFixed(2).padStart(7)} s ${rate.toFixed(2).padStart(7)} M rec/s  peak RSS ${measurement.peakRssMb.toFixed(0).padStart(5)} MB  exit ${measurement.exitCode}`;
}
