package server

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/replyguard/replyguard/companion/internal/protocol"
)

// FuzzDispatch feeds arbitrary frames through the same path as a websocket
// message on an authenticated connection (parse, validate, handle) against
// a real Badger store and policy.wasm. Whatever the input, the answer is a
// well-formed reply, never an internal error or a panic.
func FuzzDispatch(f *testing.F) {
	files, _ := filepath.Glob("../protocol/testdata/requests/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"v":1,"id":"x","type":"message.seen","payload":{"order_id":"123-1234567-1234567","received_at":"0001-01-01T00:00:01Z"}}`))
	f.Add([]byte(`{"v":1,"id":"x","type":"reply.record","payload":{"reply_id":"r","order_id":"123-1234567-1234567","text":"\u0000\ud800"}}`))
	f.Add([]byte(`{"v":1,"id":"x","type":"templates.render","payload":{"id":"refund-issued","vars":{"order_id":"not an order","refund_amount":"-1e309"}}}`))
	f.Add([]byte(`{"v":1,"id":"x","type":"deadlines.list","payload":{"order_id":"123-1234567-1234567","limit":1}}`))
	s := startServer(f, nil)
	f.Fuzz(func(t *testing.T, frame []byte) {
		req, perr := protocol.ParseRequest(frame)
		if perr != nil {
			return // covered by protocol's own fuzz test
		}
		reply := s.dispatch(nil, req)
		if reply.Re != req.ID || reply.V != protocol.Version {
			t.Fatalf("reply envelope %+v for %q", reply, frame)
		}
		if reply.Type == protocol.TypeError {
			if reply.Error == nil || reply.Error.Code == "" || reply.Error.Message == "" {
				t.Fatalf("error without code/message for %q", frame)
			}
			if reply.Error.Code == protocol.CodeInternal {
				t.Fatalf("internal error for %q: %s", frame, reply.Error.Message)
			}
		} else if reply.Type != req.Type+".ok" {
			t.Fatalf("reply type %q to %q", reply.Type, req.Type)
		}
		if _, err := json.Marshal(reply); err != nil {
			t.Fatalf("reply does not encode: %v", err)
		}
	})
}
