/*
 * A stand-in for a Windows command in the Windows lab (scripts/lab.mjs builds one per command with
 * -DNAME=L"tasklist" and puts it in Wine's system32, where the real command lives).
 *
 * Every run appends the exact command line it received (UTF-8, one line) to C:\lab\log\NAME.log.
 * Then it answers from a recorded reply when its arguments match one: C:\lab\replies\NAME\<n>.args
 * holds the argument text, <n>.out the exact bytes to print, <n>.err those for stderr (optional),
 * <n>.code the exit code (n = 0, 1, ...; the test writes them). With <n>.cp (a code page number),
 * <n>.out is UTF-8 text that Windows' own WideCharToMultiByte encodes in that code page, as a
 * console program's output through a pipe is (so a test never encodes with the decoder it tests). Without a matching reply, taskkill, tasklist and schtasks do the real thing
 * the live tests need (end a process, list the real ones, start a task's program); <n>.hang makes
 * it start the program named there as its child and never answer; shutdown only
 * records; the others say they have no reply and exit 99.
 */
#include <windows.h>
#include <tlhelp32.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

#ifndef NAME
#error "build with -DNAME=L\"command\""
#endif

static char *utf8(const wchar_t *w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char *s = malloc(n);
  WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
  return s;
}

static void out(const char *s) {
  DWORD w;
  WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), s, (DWORD)strlen(s), &w, NULL);
}

static void append_log(const wchar_t *cmdline) {
  CreateDirectoryW(L"C:\\lab", NULL);
  CreateDirectoryW(L"C:\\lab\\log", NULL);
  wchar_t path[MAX_PATH];
  swprintf(path, MAX_PATH, L"C:\\lab\\log\\%ls.log", NAME);
  HANDLE h = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) return;
  char *line = utf8(cmdline);
  DWORD w;
  WriteFile(h, line, (DWORD)strlen(line), &w, NULL);
  WriteFile(h, "\n", 1, &w, NULL);
  CloseHandle(h);
  free(line);
}

/* The argument text: the command line after the program name, as the program received it. */
static const wchar_t *args_of(const wchar_t *cmd) {
  if (*cmd == L'"') {
    cmd++;
    while (*cmd && *cmd != L'"') cmd++;
    if (*cmd) cmd++;
  } else {
    while (*cmd && *cmd != L' ' && *cmd != L'\t') cmd++;
  }
  while (*cmd == L' ' || *cmd == L'\t') cmd++;
  return cmd;
}

static char *read_file(const wchar_t *path, DWORD *size) {
  HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
  if (h == INVALID_HANDLE_VALUE) return NULL;
  DWORD n = GetFileSize(h, NULL), r = 0;
  char *buf = malloc(n + 1);
  ReadFile(h, buf, n, &r, NULL);
  CloseHandle(h);
  buf[r] = 0;
  if (size) *size = r;
  return buf;
}

/* The number of the recorded reply of this command whose .args are exactly these arguments, or -1. */
static int find_reply(const char *args) {
  for (int i = 0; i < 1000; i++) {
    wchar_t path[MAX_PATH];
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.args", NAME, i);
    char *want = read_file(path, NULL);
    if (!want) return -1;
    size_t n = strlen(want);
    while (n && (want[n - 1] == '\n' || want[n - 1] == '\r')) want[--n] = 0;
    int match = strcmp(want, args) == 0;
    free(want);
    if (match) return i;
  }
  return -1;
}

/* A recorded reply for these arguments: prints its bytes and returns 1 (exit code in *code). */
static int replay(const char *args, int *code) {
  int i = find_reply(args);
  if (i < 0) return 0;
  {
    wchar_t path[MAX_PATH];
    DWORD size = 0;
    /* <n>.hang names a program: start it as a child, then never answer (a hung command with a child). */
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.hang", NAME, i);
    char *hang = read_file(path, NULL);
    if (hang) {
      int wn = MultiByteToWideChar(CP_UTF8, 0, hang, -1, NULL, 0);
      wchar_t *child = malloc(wn * sizeof(wchar_t));
      MultiByteToWideChar(CP_UTF8, 0, hang, -1, child, wn);
      STARTUPINFOW si = {.cb = sizeof si};
      PROCESS_INFORMATION pi;
      if (CreateProcessW(NULL, child, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
      }
      for (;;) Sleep(60000);
    }
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.out", NAME, i);
    char *bytes = read_file(path, &size);
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.cp", NAME, i);
    char *cp = read_file(path, NULL);
    if (bytes && cp) {
      /* The reply is UTF-8 text to print in this code page, encoded by Windows itself. */
      int wn = MultiByteToWideChar(CP_UTF8, 0, bytes, (int)size, NULL, 0);
      wchar_t *w = malloc((wn + 1) * sizeof(wchar_t));
      MultiByteToWideChar(CP_UTF8, 0, bytes, (int)size, w, wn);
      UINT page = (UINT)atoi(cp);
      int n = WideCharToMultiByte(page, 0, w, wn, NULL, 0, NULL, NULL);
      char *enc = malloc(n + 1);
      WideCharToMultiByte(page, 0, w, wn, enc, n, NULL, NULL);
      free(bytes);
      free(w);
      bytes = enc;
      size = (DWORD)n;
    }
    free(cp);
    if (bytes) {
      DWORD w;
      WriteFile(GetStdHandle(STD_OUTPUT_HANDLE), bytes, size, &w, NULL);
      free(bytes);
    }
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.err", NAME, i);
    bytes = read_file(path, &size);
    if (bytes) {
      DWORD w;
      WriteFile(GetStdHandle(STD_ERROR_HANDLE), bytes, size, &w, NULL);
      free(bytes);
    }
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\%ls\\%d.code", NAME, i);
    char *c = read_file(path, NULL);
    *code = c ? atoi(c) : 0;
    free(c);
    return 1;
  }
  return 0;
}

static const wchar_t *opt(int argc, wchar_t **argv, const wchar_t *name) {
  for (int i = 1; i + 1 < argc; i++) if (_wcsicmp(argv[i], name) == 0) return argv[i + 1];
  return NULL;
}

static int has(int argc, wchar_t **argv, const wchar_t *name) {
  for (int i = 1; i < argc; i++) if (_wcsicmp(argv[i], name) == 0) return 1;
  return 0;
}

static void kill_tree(DWORD pid, int tree) {
  if (tree) {
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W e = {.dwSize = sizeof e};
    for (BOOL ok = Process32FirstW(snap, &e); ok; ok = Process32NextW(snap, &e))
      if (e.th32ParentProcessID == pid && e.th32ProcessID != pid) kill_tree(e.th32ProcessID, 1);
    CloseHandle(snap);
  }
  HANDLE p = OpenProcess(PROCESS_TERMINATE, FALSE, pid);
  if (p) {
    TerminateProcess(p, 1);
    CloseHandle(p);
  }
}

static int taskkill(int argc, wchar_t **argv) {
  int status = 0, tree = has(argc, argv, L"/t");
  for (int i = 1; i + 1 < argc; i++) {
    if (_wcsicmp(argv[i], L"/pid") != 0) continue;
    DWORD pid = (DWORD)wcstoul(argv[i + 1], NULL, 10);
    HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    char line[200];
    if (!p) {
      snprintf(line, sizeof line, "ERROR: The process \"%lu\" not found.\r\n", (unsigned long)pid);
      out(line);
      status = 128;
      continue;
    }
    CloseHandle(p);
    kill_tree(pid, tree);
    snprintf(line, sizeof line, "SUCCESS: The process with PID %lu has been terminated.\r\n", (unsigned long)pid);
    out(line);
  }
  return status;
}

/*
 * Who a process belongs to, as tasklist shows it. Under Wine every process is the Wine user's in
 * session 1; C:\lab\owners.txt (UTF-8 lines "FOLDER<TAB>DOMAIN\user<TAB>session name<TAB>session#")
 * makes the processes started from a folder another user's, in another session, so the tests can
 * have two users' programs of the same name.
 */
struct owner { char folder[512], user[256], session_name[64], session[16]; };

static int load_owners(struct owner *list, int max) {
  char *text = read_file(L"C:\\lab\\owners.txt", NULL);
  int n = 0;
  if (!text) return 0;
  for (char *line = strtok(text, "\r\n"); line && n < max; line = strtok(NULL, "\r\n")) {
    struct owner o = {0};
    if (sscanf(line, "%511[^\t]\t%255[^\t]\t%63[^\t]\t%15s", o.folder, o.user, o.session_name, o.session) == 4) list[n++] = o;
  }
  free(text);
  return n;
}

/* The owner entry whose folder the process's program is in, or NULL. */
static const struct owner *owner_of(DWORD pid, const struct owner *list, int n) {
  HANDLE p = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
  if (!p) return NULL;
  wchar_t image[MAX_PATH];
  DWORD len = MAX_PATH;
  BOOL ok = QueryFullProcessImageNameW(p, 0, image, &len);
  CloseHandle(p);
  if (!ok) return NULL;
  char *path = utf8(image);
  const struct owner *found = NULL;
  for (int i = 0; i < n && !found; i++) {
    if (_strnicmp(path, list[i].folder, strlen(list[i].folder)) == 0) found = &list[i];
  }
  free(path);
  return found;
}

static int tasklist(int argc, wchar_t **argv) {
  int verbose = has(argc, argv, L"/v"), header = !has(argc, argv, L"/nh");
  wchar_t user[256] = L"", host[256] = L"";
  DWORD n = 256, m = 256;
  GetUserNameW(user, &n);
  GetComputerNameW(host, &m);
  char *u = utf8(user), *h = utf8(host), me[600];
  snprintf(me, sizeof me, "%s\\%s", h, u);
  static struct owner owners[16];
  int owner_count = load_owners(owners, 16);
  if (header) out(verbose ? "\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\",\"Status\",\"User Name\",\"CPU Time\",\"Window Title\"\r\n"
                          : "\"Image Name\",\"PID\",\"Session Name\",\"Session#\",\"Mem Usage\"\r\n");
  HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
  PROCESSENTRY32W e = {.dwSize = sizeof e};
  for (BOOL ok = Process32FirstW(snap, &e); ok; ok = Process32NextW(snap, &e)) {
    char *name = utf8(e.szExeFile), line[2048];
    const struct owner *o = owner_count ? owner_of(e.th32ProcessID, owners, owner_count) : NULL;
    const char *who = o ? o->user : me, *session_name = o ? o->session_name : "Console", *session = o ? o->session : "1";
    if (verbose)
      snprintf(line, sizeof line, "\"%s\",\"%lu\",\"%s\",\"%s\",\"1,024 K\",\"Running\",\"%s\",\"0:00:01\",\"N/A\"\r\n", name, (unsigned long)e.th32ProcessID, session_name, session, who);
    else
      snprintf(line, sizeof line, "\"%s\",\"%lu\",\"%s\",\"%s\",\"1,024 K\"\r\n", name, (unsigned long)e.th32ProcessID, session_name, session);
    out(line);
    free(name);
  }
  CloseHandle(snap);
  return 0;
}

/*
 * icacls PATH /save FILE: the recorded reply for PATH (the bytes icacls writes: UTF-16 name and
 * SDDL lines) goes into FILE. Any other icacls call (granting rights) is only recorded.
 */
static int icacls_save(int argc, wchar_t **argv) {
  const wchar_t *out_file = opt(argc, argv, L"/save");
  if (argc < 2) return 87;
  if (!out_file) {
    /* Changing rights (/grant, /inheritance): only recorded, as every call is. */
    out("processed file: ");
    char *t = utf8(argv[1]);
    out(t);
    free(t);
    out("\r\nSuccessfully processed 1 files; Failed processing 0 files\r\n");
    return 0;
  }
  char *target = utf8(argv[1]);
  int i = find_reply(target);
  if (i >= 0) {
    wchar_t path[MAX_PATH];
    DWORD size = 0;
    swprintf(path, MAX_PATH, L"C:\\lab\\replies\\icacls\\%d.out", i);
    char *bytes = read_file(path, &size);
    HANDLE h = CreateFileW(out_file, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    if (h == INVALID_HANDLE_VALUE) return 5;
    DWORD w;
    WriteFile(h, bytes, size, &w, NULL);
    CloseHandle(h);
    free(bytes);
    out("Successfully processed 1 files; Failed processing 0 files\r\n");
    return 0;
  }
  fprintf(stderr, "%s: The system cannot find the file specified.\n", target);
  return 2;
}

static int schtasks(int argc, wchar_t **argv) {
  const wchar_t *tn = opt(argc, argv, L"/tn");
  if (!tn) return 1;
  wchar_t path[MAX_PATH];
  CreateDirectoryW(L"C:\\lab", NULL);
  CreateDirectoryW(L"C:\\lab\\tasks", NULL);
  swprintf(path, MAX_PATH, L"C:\\lab\\tasks\\%ls.txt", tn);
  char line[600];
  char *name = utf8(tn);
  if (has(argc, argv, L"/create")) {
    const wchar_t *tr = opt(argc, argv, L"/tr");
    if (!tr) return 1;
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD w;
    WriteFile(h, tr, (DWORD)(wcslen(tr) * sizeof(wchar_t)), &w, NULL);
    CloseHandle(h);
    snprintf(line, sizeof line, "SUCCESS: The scheduled task \"%s\" has successfully been created.\r\n", name);
  } else if (has(argc, argv, L"/run")) {
    DWORD size = 0;
    char *raw = read_file(path, &size);
    if (!raw) return 1;
    wchar_t *cmd = calloc(size / 2 + 1, sizeof(wchar_t));
    memcpy(cmd, raw, size);
    STARTUPINFOW si = {.cb = sizeof si};
    PROCESS_INFORMATION pi;
    if (!CreateProcessW(NULL, cmd, NULL, NULL, FALSE, DETACHED_PROCESS | CREATE_NEW_PROCESS_GROUP, NULL, NULL, &si, &pi)) return 1;
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    snprintf(line, sizeof line, "SUCCESS: Attempted to run the scheduled task \"%s\".\r\n", name);
  } else if (has(argc, argv, L"/delete")) {
    DeleteFileW(path);
    snprintf(line, sizeof line, "SUCCESS: The scheduled task \"%s\" was successfully deleted.\r\n", name);
  } else {
    return 1;
  }
  out(line);
  return 0;
}

int wmain(int argc, wchar_t **argv) {
  const wchar_t *cmdline = GetCommandLineW();
  append_log(cmdline);
  char *args = utf8(args_of(cmdline));
  int code = 0;
  if (wcscmp(NAME, L"icacls") == 0) return icacls_save(argc, argv);
  if (replay(args, &code)) return code;
  if (wcscmp(NAME, L"taskkill") == 0) return taskkill(argc, argv);
  if (wcscmp(NAME, L"tasklist") == 0) return tasklist(argc, argv);
  if (wcscmp(NAME, L"schtasks") == 0) return schtasks(argc, argv);
  if (wcscmp(NAME, L"shutdown") == 0) return 0; /* records only: no test may restart a machine */
  fprintf(stderr, "stand-in %ls: no recorded reply for: %s\n", NAME, args);
  return 99;
}
