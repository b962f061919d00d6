package store

import (
	"bytes"
	"encoding/hex"
	"slices"

	badger "github.com/dgraph-io/badger/v4"
)

// Posting lists are stored in blocks: key x/<term>\x00<hex id>, value the
// sorted raw ids (12 bytes each) of up to blockMax entries containing the
// term. The key's id is >= every id in its block and < every id in the
// next block, so a forward Seek to x/<term>\x00<id> lands on the block
// that holds (or would hold) id. Blocks keep the key count and the cost of
// walking a list small: an intersection reads a few blocks, not one key
// per entry.
const blockMax = 128

// rawID is a reply id in binary; ids compare like their hex form.
type rawID [12]byte

func parseRawID(s string) (rawID, bool) {
	var r rawID
	if len(s) != 24 {
		return r, false
	}
	_, err := hex.Decode(r[:], []byte(s))
	return r, err == nil
}

func (r rawID) String() string { return hex.EncodeToString(r[:]) }

func cmpID(a, b rawID) int { return bytes.Compare(a[:], b[:]) }

type reader interface {
	NewIterator(badger.IteratorOptions) *badger.Iterator
}

func termPrefix(term string) []byte { return []byte(prefPosting + term + "\x00") }

func decodeBlock(v []byte) []rawID {
	out := make([]rawID, len(v)/12)
	for i := range out {
		copy(out[i][:], v[i*12:])
	}
	return out
}

func encodeBlock(ids []rawID) []byte {
	out := make([]byte, 0, len(ids)*12)
	for _, id := range ids {
		out = append(out, id[:]...)
	}
	return out
}

// lastBlock is the key suffix of a list's last block; "~" sorts after
// every hex id. Entries older than every block key go there, so appending
// never re-keys a block (a re-key leaves a tombstone every later Seek must
// step over).
const lastBlock = "~"

// postingMerger merges many terms' lists through one iterator: creating a
// Badger iterator costs more than the seek itself. Each term may be merged
// once per merger (the iterator does not see writes made after it opened).
type postingMerger struct {
	r  reader
	it *badger.Iterator
}

func newPostingMerger(r reader) *postingMerger { return &postingMerger{r: r} }

func (pm *postingMerger) close() {
	if pm.it != nil {
		pm.it.Close()
		pm.it = nil
	}
}

// merge adds and removes ids in term's posting list: it loads the
// blocks covering the ids, merges, and writes them back re-chunked. The
// last chunk keeps the key of the last block loaded, so the usual insert
// (a new reply into the first block) writes one or two keys and deletes
// none.
func (pm *postingMerger) merge(w writer, term string, add, del []rawID) error {
	if len(add)+len(del) == 0 {
		return nil
	}
	all := append(slices.Clone(add), del...)
	slices.SortFunc(all, cmpID)
	lo, hi := all[0].String(), all[len(all)-1].String()
	prefix := termPrefix(term)

	var oldKeys []string
	var ids []rawID
	if pm.it == nil {
		opt := badger.DefaultIteratorOptions
		opt.PrefetchValues = false
		opt.Prefix = []byte(prefPosting)
		pm.it = pm.r.NewIterator(opt)
	}
	it := pm.it
	lastKey := string(prefix) + lastBlock
	for it.Seek(append(slices.Clone(prefix), lo...)); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		k := string(item.Key())
		oldKeys = append(oldKeys, k)
		if err := item.Value(func(v []byte) error { ids = append(ids, decodeBlock(v)...); return nil }); err != nil {
			return err
		}
		if k[len(prefix):] >= hi {
			lastKey = k
			break
		}
	}
	ids = append(ids, add...)
	slices.SortFunc(ids, cmpID)
	ids = slices.Compact(ids)
	if len(del) > 0 {
		drop := map[rawID]bool{}
		for _, d := range del {
			drop[d] = true
		}
		ids = slices.DeleteFunc(ids, func(id rawID) bool { return drop[id] })
	}
	// Re-chunk evenly so a split block leaves room on both sides.
	newKeys := map[string][]rawID{}
	if n := len(ids); n > 0 {
		k := (n + blockMax - 1) / blockMax
		for i := 0; i < k; i++ {
			chunk := ids[i*n/k : (i+1)*n/k]
			key := string(prefix) + chunk[len(chunk)-1].String()
			if i == k-1 {
				key = lastKey
			}
			newKeys[key] = chunk
		}
	}
	for _, k := range oldKeys {
		if _, kept := newKeys[k]; !kept {
			if err := w.Delete([]byte(k)); err != nil {
				return err
			}
		}
	}
	for k, chunk := range newKeys {
		if err := w.Set([]byte(k), encodeBlock(chunk)); err != nil {
			return err
		}
	}
	return nil
}

// cursor walks one posting list (or, with entries set, the history keys).
type cursor struct {
	it      *badger.Iterator
	prefix  []byte
	entries bool // walk h/<id> keys instead of posting blocks
	block   []rawID
	pos     int
	seek    []byte
}

func newCursor(txn *badger.Txn, prefix []byte, entries bool) *cursor {
	opt := badger.DefaultIteratorOptions
	opt.PrefetchValues = false
	opt.Prefix = prefix
	return &cursor{it: txn.NewIterator(opt), prefix: prefix, entries: entries}
}

// advance returns the first id >= target, or false when none is left.
func (c *cursor) advance(target rawID) (rawID, bool) {
	if c.pos < len(c.block) && cmpID(c.block[len(c.block)-1], target) >= 0 {
		// The answer is in the current block.
		c.pos += sortSearch(c.block[c.pos:], target)
		return c.block[c.pos], true
	}
	c.seek = append(append(c.seek[:0], c.prefix...), target.String()...)
	for c.it.Seek(c.seek); c.it.Valid(); c.it.Next() {
		item := c.it.Item()
		if c.entries {
			id, ok := parseRawID(string(item.Key()[len(c.prefix):]))
			if !ok {
				continue
			}
			c.block, c.pos = []rawID{id}, 0
			return id, true
		}
		var blk []rawID
		if err := item.Value(func(v []byte) error { blk = decodeBlock(v); return nil }); err != nil || len(blk) == 0 {
			continue
		}
		if cmpID(blk[len(blk)-1], target) < 0 {
			continue // the block lost its largest ids to a removal
		}
		c.block = blk
		c.pos = sortSearch(blk, target)
		return c.block[c.pos], true
	}
	c.block = nil
	return rawID{}, false
}

func sortSearch(ids []rawID, target rawID) int {
	i, _ := slices.BinarySearchFunc(ids, target, cmpID)
	return i
}

func (c *cursor) close() { c.it.Close() }
