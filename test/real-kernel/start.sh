#!/bin/bash
### check and start AnqiCMS
# The guardian that AnQiCMS ships for cron (`*/1 * * * * /path/start.sh`), as in its
# releases of 2022-06 .. 2024-08 (docs/formats.md §1); only these comments are new.
# oomscope's real-kernel tests copy it into a temporary install dir and run it every second.
# Trap kept on purpose: the install dir's path must not contain the word anqicms, or the
# grep counts the guardian itself and a dead app is never restarted.
# the bin name is anqicms
BINNAME=anqicms
BINPATH="$( cd "$( dirname "$0"  )" && pwd  )"

# check the pid if exists
exists=`ps -ef | grep '\<anqicms\>' |grep -v grep |wc -l`
echo "$(date +'%Y%m%d %H:%M:%S') $BINNAME PID check: $exists" >> $BINPATH/check.log
echo "PID $BINNAME check: $exists"
if [ $exists -eq 0 ]; then
    echo "$BINNAME NOT running"
    cd $BINPATH && nohup $BINPATH/$BINNAME >> $BINPATH/running.log 2>&1 &
fi
