// Preloaded (--import) into the api when BENCH_CPU_PROF=1: node writes a --cpu-prof profile only on
// a normal exit, and the app's shutdown hooks re-raise SIGTERM, so the bench asks with SIGUSR2.
process.on('SIGUSR2', () => process.exit(0));
