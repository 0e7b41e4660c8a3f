#!/usr/bin/perl
# Runs COMMAND as a child subreaper (prctl PR_SET_CHILD_SUBREAPER): what COMMAND leaves behind when it dies (the app
# of a SIGKILLed `oomscope supervise`) is re-parented here and reaped when it ends, as init would on a real server.
# The test VM's PID 1 does not reap, so without this an orphan would stay a zombie (`[anqicms] <defunct>`).
# Exits once no child is left, or SIGKILLs what is left when its own parent (the test) is gone.
# usage: perl subreaper.pl COMMAND [ARGS...]
use strict;
use warnings;
use POSIX ();

sub prctl_number {
  my $nr = eval { package main; require 'syscall.ph'; &SYS_prctl() };
  return $nr if defined $nr;
  my $arch = (POSIX::uname())[4];
  my %by_arch = (x86_64 => 157, aarch64 => 167, riscv64 => 167, i686 => 172, armv7l => 172, s390x => 172, ppc64le => 171);
  return $by_arch{$arch} // die "subreaper: unknown prctl syscall number for $arch\n";
}
syscall(prctl_number(), 36, 1, 0, 0, 0) == 0 or die "subreaper: prctl(PR_SET_CHILD_SUBREAPER): $!\n";

my $parent = getppid();
my $child = fork() // die "subreaper: fork: $!\n";
if ($child == 0) {
  exec(@ARGV) or die "subreaper: exec $ARGV[0]: $!\n";
}
$SIG{TERM} = sub { kill 'TERM', $child };
$SIG{INT} = sub { kill 'INT', $child };
my %adopted;
while (1) {
  my $pid = waitpid(-1, POSIX::WNOHANG());
  last if $pid < 0;
  if ($pid == 0) {
    if (getppid() != $parent) {
      # The test is gone: leave nothing behind.
      opendir(my $dh, '/proc') or last;
      for my $p (grep { /^\d+$/ } readdir $dh) {
        open(my $fh, '<', "/proc/$p/stat") or next;
        my $stat = <$fh>;
        close $fh;
        kill 'KILL', $p if defined $stat && $stat =~ /\) \S+ $$ /;
      }
    }
    select(undef, undef, undef, 0.02);
  }
}
exit 0;
