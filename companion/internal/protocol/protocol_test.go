package protocol

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/replyguard/replyguard/policy"
)

func TestParseRequest(t *testing.T) {
	tests := []struct {
		name     string
		frame    string
		wantCode string // "" means valid
		wantID   string
		wantMsg  string // substring of the error message
	}{
		{"valid", `{"v":1,"id":"r1","type":"ping"}`, "", "r1", ""},
		{"valid with payload", `{"v":1,"id":"r2","type":"templates.get","payload":{"id":"x"}}`, "", "r2", ""},
		{"leading space", "  \n{\"v\":1,\"id\":\"r3\",\"type\":\"ping\"}", "", "r3", ""},
		{"empty", ``, CodeBadJSON, "", "JSON object"},
		{"array", `[1,2]`, CodeBadJSON, "", "JSON object"},
		{"truncated keeps no id", `{"v":1,"id":"r4","type":"pi`, CodeBadJSON, "", "malformed JSON"},
		{"wrong field type salvages id", `{"v":"one","id":"r5","type":"ping"}`, CodeBadJSON, "r5", `"v"`},
		{"bad utf8", "{\"v\":1,\"id\":\"r6\",\"type\":\"ping\",\"x\":\"\xff\"}", CodeBadUTF8, "", "UTF-8"},
		{"missing id", `{"v":1,"type":"ping"}`, CodeBadEnvelope, "", `"id" is required`},
		{"id with space", `{"v":1,"id":"a b","type":"ping"}`, CodeBadEnvelope, "", "printable"},
		{"id too long", `{"v":1,"id":"` + strings.Repeat("a", 65) + `","type":"ping"}`, CodeBadEnvelope, "", "1-64"},
		{"version 2", `{"v":2,"id":"r7","type":"ping"}`, CodeBadVersion, "r7", "version 1"},
		{"missing version", `{"id":"r8","type":"ping"}`, CodeBadVersion, "r8", `"v" is 0`},
		{"missing type", `{"v":1,"id":"r9"}`, CodeBadEnvelope, "r9", `"type" is required`},
		{"unknown type", `{"v":1,"id":"r10","type":"templates.delete"}`, CodeUnknownType, "r10", `"templates.delete"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := ParseRequest([]byte(tt.frame))
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
			} else {
				if err == nil {
					t.Fatalf("want %s, got valid request %+v", tt.wantCode, req)
				}
				if err.Code != tt.wantCode {
					t.Fatalf("code = %s (%s), want %s", err.Code, err.Message, tt.wantCode)
				}
				if !strings.Contains(err.Message, tt.wantMsg) {
					t.Fatalf("message %q does not mention %q", err.Message, tt.wantMsg)
				}
			}
			if req.ID != tt.wantID {
				t.Fatalf("id = %q, want %q", req.ID, tt.wantID)
			}
		})
	}
}

func TestDecodePayload(t *testing.T) {
	req := func(typ, payload string) Request {
		return Request{V: 1, ID: "x", Type: typ, Payload: json.RawMessage(payload)}
	}
	tests := []struct {
		name    string
		decode  func() *Error
		wantMsg []string // substrings; empty means valid
	}{
		{"record ok", func() *Error {
			_, e := DecodePayload[ReplyRecord](req(TypeReplyRecord, `{"reply_id":"u1","order_id":"123-1234567-1234567","text":"Hello","scenario":"not-received"}`))
			return e
		}, nil},
		{"record names every bad field", func() *Error {
			_, e := DecodePayload[ReplyRecord](req(TypeReplyRecord, `{"order_id":"12-34","scenario":"nope"}`))
			return e
		}, []string{`"reply_id" is required`, `"order_id" "12-34"`, `"text" is required`, `"scenario" "nope"`}},
		{"record text too long", func() *Error {
			_, e := DecodePayload[ReplyRecord](req(TypeReplyRecord, `{"reply_id":"u1","order_id":"123-1234567-1234567","text":"`+strings.Repeat("a", MaxTextLen+1)+`"}`))
			return e
		}, []string{`"text" is longer`}},
		{"payload not object", func() *Error {
			_, e := DecodePayload[TemplateRef](req(TypeTemplatesGet, `"abc"`))
			return e
		}, []string{"payload must be a JSON object"}},
		{"missing payload", func() *Error {
			_, e := DecodePayload[TemplateRef](req(TypeTemplatesGet, ``))
			return e
		}, []string{`"id" is required`}},
		{"wrong field type", func() *Error {
			_, e := DecodePayload[TemplateRef](req(TypeTemplatesGet, `{"id":5}`))
			return e
		}, []string{`"id"`, "string"}},
		{"bad time", func() *Error {
			_, e := DecodePayload[MessageSeen](req(TypeMessageSeen, `{"order_id":"123-1234567-1234567","received_at":"yesterday"}`))
			return e
		}, []string{"message.seen", "yesterday"}},
		{"seen future", func() *Error {
			_, e := DecodePayload[MessageSeen](req(TypeMessageSeen, `{"order_id":"123-1234567-1234567","received_at":"2999-01-01T00:00:00Z"}`))
			return e
		}, []string{"future"}},
		{"seen bad kind", func() *Error {
			_, e := DecodePayload[MessageSeen](req(TypeMessageSeen, `{"order_id":"123-1234567-1234567","received_at":"2026-01-01T00:00:00Z","kind":"weekly"}`))
			return e
		}, []string{`"kind" "weekly"`}},
		{"resolve bad resolution", func() *Error {
			_, e := DecodePayload[DeadlineResolve](req(TypeDeadlineResolve, `{"id":"d1","resolution":"ignored"}`))
			return e
		}, []string{`"resolution" "ignored"`}},
		{"unknown fields ignored", func() *Error {
			_, e := DecodePayload[DeadlineResolve](req(TypeDeadlineResolve, `{"id":"d1","resolution":"replied","future":true}`))
			return e
		}, nil},
		{"render vars", func() *Error {
			_, e := DecodePayload[TemplatesRender](req(TypeTemplatesRender, `{"id":"t","vars":{"":"x"}}`))
			return e
		}, []string{`"vars" key ""`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode()
			if len(tt.wantMsg) == 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("want an error, got none")
			}
			if err.Code != CodeInvalidPayload {
				t.Fatalf("code = %s", err.Code)
			}
			for _, m := range tt.wantMsg {
				if !strings.Contains(err.Message, m) {
					t.Errorf("message %q does not mention %q", err.Message, m)
				}
			}
		})
	}
}

func TestValidOrderID(t *testing.T) {
	for s, want := range map[string]bool{
		"123-1234567-1234567": true, "123-1234567-123456": false, "1231234567-1234567-": false,
		"abc-1234567-1234567": false, "": false, "123-1234567-12345678": false,
	} {
		if got := policy.ValidOrderID(s); got != want {
			t.Errorf("policy.ValidOrderID(%q) = %v", s, got)
		}
	}
}

func TestReplyShapes(t *testing.T) {
	b, _ := json.Marshal(OK("r1", TypeTemplatesGet, map[string]int{"a": 1}))
	if string(b) != `{"v":1,"re":"r1","type":"templates.get.ok","payload":{"a":1}}` {
		t.Fatalf("ok reply = %s", b)
	}
	b, _ = json.Marshal(ErrReply("r2", Errorf(CodeNotFound, "no template %q", "x")))
	if string(b) != `{"v":1,"re":"r2","type":"error","error":{"code":"not_found","message":"no template \"x\""}}` {
		t.Fatalf("error reply = %s", b)
	}
	b, _ = json.Marshal(Push(PushTemplatesChanged, TemplatesChanged{IDs: []string{"a"}}))
	if string(b) != `{"v":1,"type":"templates.changed","payload":{"ids":["a"]}}` {
		t.Fatalf("push = %s", b)
	}
}

// FuzzParseRequest: no input panics, and every rejection carries a code and
// a message; an accepted request always has a valid id and a known type.
func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"id":"r1","type":"ping"}`, `{"v":1,"id":"r","type":"reply.record","payload":{"reply_id":"x"}}`,
		`{`, `[]`, "\xff", `{"v":1e400}`, `{"id":"` + strings.Repeat("x", 100) + `"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := ParseRequest(data)
		if err != nil {
			if err.Code == "" || err.Message == "" {
				t.Fatalf("error without code/message: %+v", err)
			}
			if req.ID != "" && !validID(req.ID) {
				t.Fatalf("error reply would carry an invalid id %q", req.ID)
			}
			return
		}
		if !validID(req.ID) || !utf8.Valid(data) {
			t.Fatalf("accepted invalid request %q", data)
		}
		if _, ok := requestTypes[req.Type]; !ok {
			t.Fatalf("accepted unknown type %q", req.Type)
		}
		// Every payload decoder must survive whatever payload came with it.
		_, _ = DecodePayload[ReplyRecord](req)
		_, _ = DecodePayload[MessageSeen](req)
		_, _ = DecodePayload[TemplatesRender](req)
		_, _ = DecodePayload[DeadlinesList](req)
	})
}
