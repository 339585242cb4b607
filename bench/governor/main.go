// Command governor-sim takes and releases slots of a Choria Governor for many simulated nodes at
// once, through go-choria's own governor package (v0.30.2, providers/governor/streams), exactly as
// a Choria server's exec watcher does (aagent/watchers/watcher/watcher.go, EnterGovernor): the
// subject COLLECTIVE.governor.NAME, the FiveSec back-off, one Start per command run, the finisher
// when the command ends. bench/RolloutSim.java drives it over stdin and stdout, one line each:
//
//	in:  enter ID TIMEOUT_MS   ask for a slot for node ID (a goroutine campaigns until TIMEOUT_MS)
//	     leave ID              release node ID's slot
//	out: slot ID SEQ WAIT_MS HELD  ID holds a slot (the stream's sequence), after WAIT_MS of campaigning;
//	                           HELD: slots held now by this program's nodes, ID's included
//	     timeout ID WAIT_MS    ID gave up (the exec watcher's governor_timeout)
//	     error ID WAIT_MS MSG  the governor refused otherwise
//	     left ID               ID's slot is released
//	at the end of stdin, on stderr: how many attempts to enter the nodes made in all
//
// With -create CAPACITY it first makes (or resets) the governor as `choria governor add NAME
// CAPACITY EXPIRE REPLICAS` does (NewManager), and prints "ready" once it can take requests.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/choria-io/go-choria/backoff"
	governor "github.com/choria-io/go-choria/providers/governor/streams"
	"github.com/nats-io/nats.go"
)

// campaigns counts the governor's attempts to enter (each a JetStream publish to the governor's
// stream, refused while it is full), from the package's own debug log line before each publish.
type campaigns struct{ n atomic.Int64 }

func (c *campaigns) Debugf(format string, a ...any) {
	if strings.HasPrefix(format, "Publishing to") {
		c.n.Add(1)
	}
}
func (c *campaigns) Infof(format string, a ...any)  {}
func (c *campaigns) Warnf(format string, a ...any)  {}
func (c *campaigns) Errorf(format string, a ...any) {}

func main() {
	servers := flag.String("servers", "nats://127.0.0.1:4222", "NATS URLs, comma separated; connection i uses server i modulo their count")
	name := flag.String("name", "HOIST_SIM", "governor name")
	collective := flag.String("collective", "mcollective", "the main collective (the governor's subject is COLLECTIVE.governor.NAME)")
	create := flag.Uint64("create", 0, "make the governor with this capacity first (0: use it as it is)")
	expire := flag.Duration("expire", 10*time.Minute, "with -create: the governor's expiry (stream max age)")
	replicas := flag.Uint("replicas", 3, "with -create: replicas")
	conns := flag.Int("conns", 12, "NATS connections the simulated nodes share")
	flag.Parse()

	urls := strings.Split(*servers, ",")
	var ncs []*nats.Conn
	for i := 0; i < *conns; i++ {
		nc, err := nats.Connect(urls[i%len(urls)], nats.Name(fmt.Sprintf("governor-sim-%d", i)), nats.MaxReconnects(-1))
		if err != nil {
			fmt.Fprintf(os.Stderr, "governor-sim: cannot connect to %s: %v\n", urls[i%len(urls)], err)
			os.Exit(1)
		}
		ncs = append(ncs, nc)
	}
	subj := fmt.Sprintf("%s.governor.%s", *collective, *name) // go-choria internal/util.GovernorSubject
	if *create > 0 {
		mgr, err := governor.NewManager(*name, *create, *expire, *replicas, ncs[0], true, governor.WithSubject(subj))
		if err != nil {
			fmt.Fprintf(os.Stderr, "governor-sim: cannot make governor %s: %v\n", *name, err)
			os.Exit(1)
		}
		if err := mgr.Reset(); err != nil {
			fmt.Fprintf(os.Stderr, "governor-sim: cannot reset governor %s: %v\n", *name, err)
			os.Exit(1)
		}
	}

	var outMu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	say := func(format string, a ...any) {
		outMu.Lock()
		fmt.Fprintf(out, format+"\n", a...)
		out.Flush()
		outMu.Unlock()
	}
	say("ready")

	count := &campaigns{}
	var mu sync.Mutex
	held := map[string]governor.Finisher{}
	in := bufio.NewScanner(os.Stdin)
	n := 0
	for in.Scan() {
		f := strings.Fields(in.Text())
		switch {
		case len(f) == 3 && f[0] == "enter":
			id := f[1]
			ms, _ := strconv.Atoi(f[2])
			nc := ncs[n%len(ncs)]
			n++
			go func() {
				// As EnterGovernor: a new Governor per command run, FiveSec back-off, the watcher's timeout.
				gov := governor.New(*name, nc, governor.WithSubject(subj), governor.WithBackoff(backoff.FiveSec), governor.WithLogger(count))
				ctx, cancel := context.WithTimeout(context.Background(), time.Duration(ms)*time.Millisecond)
				defer cancel()
				t0 := time.Now()
				fin, seq, err := gov.Start(ctx, "Auto Agent  hoist_web#remediate @ "+id)
				wait := time.Since(t0).Milliseconds()
				switch {
				case err == nil:
					mu.Lock()
					held[id] = fin
					now := len(held)
					mu.Unlock()
					say("slot %s %d %d %d", id, seq, wait, now)
				case ctx.Err() != nil:
					say("timeout %s %d", id, wait)
				default:
					say("error %s %d %s", id, wait, strings.ReplaceAll(err.Error(), "\n", " "))
				}
			}()
		case len(f) == 2 && f[0] == "leave":
			id := f[1]
			mu.Lock()
			fin := held[id]
			delete(held, id)
			mu.Unlock()
			go func() {
				if fin != nil {
					if err := fin(); err != nil {
						say("error %s 0 leave: %s", id, strings.ReplaceAll(err.Error(), "\n", " "))
					}
				}
				say("left %s", id)
			}()
		}
	}
	fmt.Fprintf(os.Stderr, "governor attempts to enter (publishes to its stream): %d\n", count.n.Load())
	for _, nc := range ncs {
		nc.Close()
	}
}
