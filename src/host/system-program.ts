// Which file a program name means. On Windows, node's launcher looks for a bare name in the current
// folder before PATH, and a standard user can plant `tasklist.exe` in a folder an RMM job starts in:
// so every program syncdoctor names without a path is taken from the system folder, by absolute
// path, and nowhere else. Programs named by a path (an agent's exePath) are used as given.

/** The absolute path a bare Windows program name stands for: %SystemRoot%\System32\NAME.exe. */
export function systemProgramPath(program: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform !== 'win32' || /[\\/:]/.test(program)) return program;
  // SystemRoot is set by Windows for every process (a standard user cannot change SYSTEM's);
  // only a path-like value is used, never one that points back into a relative folder.
  const root = [env.SystemRoot, env.windir].find((v): v is string => typeof v === 'string' && /^[A-Za-z]:\\[^"<>|?*]*$/.test(v)) ?? 'C:\\Windows';
  const name = /\.(exe|com)$/i.test(program) ? program : `${program}.exe`;
  return `${root.replace(/\\+$/, '')}\\System32\\${name}`;
}
