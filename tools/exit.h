/* SPDX-License-Identifier: GPL-2.0 */
/*
 * exit.h - the exit status of every iopmem tool, one table for all three
 * (EXIT STATUS in iopmemctl(8), iopmem-bench(8), iopmem-pattern(8)).
 */
#ifndef IOPMEM_EXIT_H
#define IOPMEM_EXIT_H

enum iopmem_exit {
	IOPMEM_EXIT_OK = 0,	/* done; check: peer-to-peer DMA is possible */
	IOPMEM_EXIT_NO = 1,	/* the answer is no: check finds no P2P route;
				 * a verify (bench --check, pattern verify)
				 * found bytes that differ */
	IOPMEM_EXIT_USAGE = 2,	/* bad command line; nothing was done */
	IOPMEM_EXIT_FAILED = 3,	/* the operation failed; the message says why */
	IOPMEM_EXIT_UNKNOWN = 4, /* check cannot answer: what it needs cannot
				  * be read (config space: run as root) */
};

#endif
