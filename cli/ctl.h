/* cli/ctl.h — the verbs of the `uppp` binary that talk to a running
 * server's control socket (docs/control.md): sessions, kill, stats. argv[0]
 * is the verb. Each returns the process's exit status: 0, 1 (the server
 * said no, or is not running), 2 (usage). */
#ifndef UPPP_CLI_CTL_H
#define UPPP_CLI_CTL_H

#include <stddef.h>

int uppp_ctl_sessions_main(int argc, char **argv);
int uppp_ctl_kill_main(int argc, char **argv);
int uppp_ctl_stats_main(int argc, char **argv);
int uppp_ctl_reload_main(int argc, char **argv);
int uppp_ctl_show_main(int argc, char **argv);
/* `uppp capture start FILE [--data] | stop | status` and `uppp trace`. */
int uppp_ctl_capture_main(int argc, char **argv);
int uppp_ctl_trace_main(int argc, char **argv);

/* One JSON line of a trace (docs/control.md) drawn as a ladder line into
 * out (cli/ladder.h): 0 (out may be "" for a line it does not know), 1 when
 * the line is the server's error (out: its text, escaped), -1 when it is
 * not JSON. */
struct uppp_ladder;
int uppp_ctl_trace_render(struct uppp_ladder *l, const char *json, char *out, size_t cap);

#endif
