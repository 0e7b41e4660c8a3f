package provider

import (
	"log"
	"runtime"
	"time"
)

const mib = 1 << 20

// block allocates n bytes and writes every page, so they are resident (fresh pages read as zero without a fault).
func block(n int, fill byte) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 4096 {
		b[i] = fill
	}
	return b
}

func numGC() uint32 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.NumGC
}

// GenerateTitleImageCache leaks: it keeps 4 MiB every 20 ms and never frees it, logging every 16 MiB with the
// number of collections so far (with GOMEMLIMIT the collector runs ever more often before the end).
func (w *Website) GenerateTitleImageCache(maxMiB int) {
	log.Println("正在生成标题图片缓存")
	for len(w.cache)*4 < maxMiB {
		w.cache = append(w.cache, block(4*mib, byte(len(w.cache)%250+1)))
		if len(w.cache)%4 == 0 {
			log.Printf("标题图片缓存 %d MiB, GC %d 次", len(w.cache)*4, numGC())
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Printf("leak stopped at the %d MiB safety cap without being killed", maxMiB)
}

// RebuildIndex is a bounded workload: it holds liveMiB of index pages and replaces them chunkMiB at a time,
// rounds times, so the old pages become garbage; it logs when done. Its live heap never exceeds liveMiB+chunkMiB.
func (w *Website) RebuildIndex(liveMiB, chunkMiB, rounds int) {
	log.Printf("重建索引: %d MiB", liveMiB)
	pages := make([][]byte, liveMiB/chunkMiB)
	for i := 0; i < rounds; i++ {
		pages[i%len(pages)] = block(chunkMiB*mib, byte(i%250+1))
		if i%16 == 15 {
			time.Sleep(time.Millisecond)
		}
	}
	log.Printf("重建索引完成, GC %d 次", numGC())
	runtime.KeepAlive(pages)
}
