/* cli/ctl.h — the verbs of the `uppp` binary that talk to a running
 * server's control socket (docs/control.md): sessions, kill, stats. argv[0]
 * is the verb. Each returns the process's exit status: 0, 1 (the server
 * said no, or is not running), 2 (usage). */
#ifndef UPPP_CLI_CTL_H
#define UPPP_CLI_CTL_H

int uppp_ctl_sessions_main(int argc, char **argv);
int uppp_ctl_kill_main(int argc, char **argv);
int uppp_ctl_stats_main(int argc, char **argv);
int uppp_ctl_reload_main(int argc, char **argv);
int uppp_ctl_show_main(int argc, char **argv);

#endif
