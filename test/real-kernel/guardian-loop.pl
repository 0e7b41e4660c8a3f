#!/usr/bin/perl
# The "cron" of oomscope's real-kernel tests: runs the guardian (start.sh) every INTERVAL
# seconds, and is a child subreaper (prctl PR_SET_CHILD_SUBREAPER), so the app that start.sh
# leaves behind with `nohup … &` is re-parented to this process, which reaps it when it dies.
#
# Why: on a real server cron's orphans go to init (systemd), which reaps them. On a machine
# whose PID 1 does not reap (containers, micro-VMs: so on the test VM), a dead app would stay
# a zombie, `ps -ef` would still list `[anqicms] <defunct>`, start.sh would count 1 and never
# restart it.
#
# usage: perl guardian-loop.pl INTERVAL_SECONDS MAX_SECONDS STATUS_FILE OUT_FILE COMMAND [ARGS...]
#   OUT_FILE    gets the guardian's stdout and stderr (what cron would mail)
#   STATUS_FILE gets one line per reaped process: `<pid> <guardian|adopted> exit <code>`
#               or `<pid> <guardian|adopted> signal <n>`, so the tests know how the app ended.
# Stops on SIGTERM / SIGINT, when its parent dies, or after MAX_SECONDS: starts no more
# guardian runs, lets a running one finish, then SIGKILLs every remaining child (the app,
# adopted) and exits once all are reaped. So a crashed test leaves no app running.
# Only core Perl (perl-base): no Time::HiRes.
use strict;
use warnings;
use POSIX ();

my ($interval, $max_seconds, $status_file, $out_file, @command) = @ARGV;
die "usage: guardian-loop.pl INTERVAL MAX_SECONDS STATUS_FILE OUT_FILE COMMAND...\n" unless @command;

sub prctl_number {
  my $nr = eval { package main; require 'syscall.ph'; &SYS_prctl() };
  return $nr if defined $nr;
  my $arch = (POSIX::uname())[4];
  my %by_arch = (x86_64 => 157, aarch64 => 167, riscv64 => 167, loongarch64 => 167,
                 i386 => 172, i486 => 172, i586 => 172, i686 => 172, armv7l => 172,
                 armv6l => 172, s390x => 172, ppc64le => 171, ppc64 => 171);
  return $by_arch{$arch} // die "guardian-loop: unknown prctl syscall number for $arch\n";
}

my $PR_SET_CHILD_SUBREAPER = 36;
syscall(prctl_number(), $PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
  or die "guardian-loop: prctl(PR_SET_CHILD_SUBREAPER): $!\n";

my $parent = getppid();
my $stopping = 0;
$SIG{TERM} = $SIG{INT} = sub { $stopping = 1 };

open(my $status, '>>', $status_file) or die "guardian-loop: $status_file: $!\n";
$status->autoflush(1);

my $tick = 0.05;
my $ticks_per_run = int($interval / $tick + 0.5) || 1;
my $ticks_left = int($max_seconds / $tick);
my $until_next = 0;
my %guardian;    # pids of running guardian (start.sh) processes

# Reaps every child that has ended; answers -1 when no child at all is left, else 0.
sub reap {
  while (1) {
    my $pid = waitpid(-1, POSIX::WNOHANG());
    return $pid if $pid <= 0;
    my $st = $?;
    my $who = delete $guardian{$pid} ? 'guardian' : 'adopted';
    my $how = ($st & 127) ? 'signal ' . ($st & 127) : 'exit ' . ($st >> 8);
    print $status "$pid $who $how\n";
  }
}

sub my_children {
  my @kids;
  opendir(my $proc, '/proc') or return ();
  for my $name (readdir $proc) {
    next unless $name =~ /^\d+$/;
    open(my $fh, '<', "/proc/$name/stat") or next;
    my $stat = <$fh> // '';
    close $fh;
    push @kids, $name + 0 if $stat =~ /.*\)\s+(\S)\s+(\d+)/s && $1 ne 'Z' && $2 == $$;
  }
  closedir $proc;
  return @kids;
}

while (1) {
  my $left = reap();
  $stopping = 1 if getppid() != $parent || $ticks_left-- <= 0;
  if ($stopping) {
    last if $left == -1;
    if (!%guardian) {
      my @kids = my_children();
      kill 'KILL', @kids if @kids;
    }
  } elsif ($until_next <= 0 && !%guardian) {
    my $pid = fork();
    die "guardian-loop: fork: $!\n" unless defined $pid;
    if ($pid == 0) {
      $SIG{TERM} = $SIG{INT} = 'DEFAULT';
      open(STDIN, '<', '/dev/null');
      open(STDOUT, '>>', $out_file) or POSIX::_exit(127);
      open(STDERR, '>&', \*STDOUT) or POSIX::_exit(127);
      exec { $command[0] } @command or POSIX::_exit(127);
    }
    $guardian{$pid} = 1;
    $until_next = $ticks_per_run;
  }
  select(undef, undef, undef, $tick);
  $until_next--;
}
exit 0;
