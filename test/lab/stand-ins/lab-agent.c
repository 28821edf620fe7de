/*
 * A stand-in sync agent for the Windows lab: when it starts it appends "<UTC time> sync ok" to the
 * file named like itself with .log for .exe (a "silent" build, -DSILENT, writes nothing), then waits
 * until it is ended. Tests copy it under a unique name and end it by that name or its pid only.
 */
#include <windows.h>
#include <stdio.h>
#include <wchar.h>

int wmain(void) {
#ifndef SILENT
  wchar_t path[MAX_PATH];
  DWORD n = GetModuleFileNameW(NULL, path, MAX_PATH);
  if (n > 4 && _wcsicmp(path + n - 4, L".exe") == 0) {
    wcscpy(path + n - 4, L".log");
    SYSTEMTIME t;
    GetSystemTime(&t);
    char line[64];
    int len = snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02dZ sync ok\r\n", t.wYear, t.wMonth, t.wDay, t.wHour, t.wMinute, t.wSecond);
    HANDLE h = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_ALWAYS, 0, NULL);
    DWORD w;
    if (h != INVALID_HANDLE_VALUE) {
      WriteFile(h, line, (DWORD)len, &w, NULL);
      CloseHandle(h);
    }
  }
#endif
  for (;;) Sleep(60000);
}
