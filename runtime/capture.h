/* runtime/capture.h — pcap capture of a server's PPPoE frames, a frame tap
 * (runtime/tap.h): every discovery frame and every session control frame
 * (LCP, PAP, CHAP, IPCP, CCP ...), and the IP data frames too when asked,
 * each with its wall-clock time, into a pcap file (libpcap's dump API,
 * LINKTYPE_ETHERNET) that tcpdump, tshark and Wireshark read.
 *
 * Rotated by size: when the next frame would take FILE past size_bytes,
 * FILE becomes FILE.1 (FILE.1 becomes FILE.2 ...), at most files - 1 old
 * files are kept (the oldest is removed) and a new FILE starts. A FILE that
 * is not a regular file (a FIFO, /dev/stdout) is never rotated.
 *
 * Each frame is flushed to the file as it comes (a capture is read while
 * the server runs, and nothing is lost when it is killed); with data on,
 * that is one write() per IP packet: a tool for debugging, not for a
 * loaded server. A write error (disk full, file system gone) or a rotation
 * that fails stops the capture with one log line; the server goes on.
 *
 * Files are made mode 0600 (a capture holds PAP passwords and CHAP
 * exchanges); a symbolic link as FILE is refused (O_NOFOLLOW). Rotation
 * makes new files as the user the server then runs as (after --run-as: in
 * a directory that user may write, or the capture stops at the first
 * rotation). */
#ifndef UPPP_RUNTIME_CAPTURE_H
#define UPPP_RUNTIME_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/tap.h"

struct uppp_host;
struct uppp_capture;

#define UPPP_CAPTURE_SIZE_MB_DEFAULT 16
#define UPPP_CAPTURE_FILES_DEFAULT 4
#define UPPP_CAPTURE_SIZE_MB_MAX 65536
#define UPPP_CAPTURE_FILES_MAX 1000

struct uppp_capture_config {
	const char *path;       /* FILE (copied) */
	bool data;              /* IP data frames too */
	uint64_t size_bytes;    /* rotate before FILE passes this; 0 = 16 MiB */
	unsigned files;         /* FILE and FILE.1 .. FILE.(files-1); 0 = 4 */
};

/* What `capture` (the control verb) reports. */
struct uppp_capture_status {
	bool active;            /* writing (false: stopped by an error, see error) */
	const char *path;
	bool data;
	uint64_t size_bytes;
	unsigned files;
	uint64_t frames;        /* frames written since the start */
	uint64_t bytes;         /* in the current FILE */
	unsigned rotations;
	const char *error;      /* why it stopped; "" while active */
};

/* Opens cfg->path and starts capturing h's frames (h->taps), logging
 * layer=capture event=started. 0, or -errno with err[0..errcap) saying
 * why (nothing left behind). */
int uppp_capture_open(const struct uppp_capture_config *cfg, struct uppp_host *h, struct uppp_capture **out,
		      char *err, size_t errcap);
void uppp_capture_status(const struct uppp_capture *c, struct uppp_capture_status *st);
/* Stops (if still running: logged event=stopped with the counts), closes the
 * file and frees c. NULL: nothing. */
void uppp_capture_close(struct uppp_capture *c);

/* The server's capture slot (runtime/server.c): NULL when none. The
 * control verbs start and stop it there. */
struct uppp_server;
struct uppp_capture **uppp_server_capture_slot(struct uppp_server *srv);

#endif
