// Package protocol defines ReplyGuard's websocket protocol between the
// extension and the companion: a versioned JSON envelope, the message types
// and their payloads, and the validation every incoming frame goes through.
//
// It has no I/O and no dependency on the server, so the same types document
// the wire format (docs/protocol.md) and are fuzzed on their own.
package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Version is the envelope version this companion speaks.
const Version = 1

// Limits a request must respect. MaxFrame is enforced by the server before
// parsing; the others here.
const (
	MaxFrame   = 1 << 20 // bytes in one websocket text message
	MaxIDLen   = 64      // request id length
	MaxTypeLen = 64
)

// Request is what a client sends.
type Request struct {
	V       int             `json:"v"`
	ID      string          `json:"id"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// Reply answers one request (Re set) or is a server push (Re empty).
type Reply struct {
	V       int    `json:"v"`
	Re      string `json:"re,omitempty"`
	Type    string `json:"type"`
	Payload any    `json:"payload,omitempty"`
	Error   *Error `json:"error,omitempty"`
}

// Error is the body of an "error" reply. Code is stable and machine-readable;
// Message names the problem for a human.
type Error struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Error codes.
const (
	CodeBadJSON        = "bad_json"        // not a JSON object
	CodeBadUTF8        = "bad_utf8"        // text frame is not valid UTF-8
	CodeBinary         = "binary_frame"    // binary frames are not part of the protocol
	CodeTooBig         = "too_big"         // frame larger than MaxFrame
	CodeBadVersion     = "bad_version"     // v is not 1
	CodeBadEnvelope    = "bad_envelope"    // id or type missing or malformed
	CodeUnknownType    = "unknown_type"    // type is not a request this companion knows
	CodeInvalidPayload = "invalid_payload" // payload missing, malformed or failing validation
	CodeAuthRequired   = "auth_required"   // first message must be auth or pair
	CodeUnauthorized   = "unauthorized"    // wrong token, wrong/expired/used pairing code
	CodeNotFound       = "not_found"
	CodeConflict       = "conflict"
	CodeUnavailable    = "unavailable" // a part (store, policy host) is not running
	CodeInternal       = "internal"
)

// Errorf builds an *Error.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrReply is the reply to request id carrying err.
func ErrReply(re string, err *Error) Reply {
	return Reply{V: Version, Re: re, Type: TypeError, Error: err}
}

// OK is the successful reply to a request of type typ.
func OK(re, typ string, payload any) Reply {
	return Reply{V: Version, Re: re, Type: typ + ".ok", Payload: payload}
}

// Push is a server-initiated message.
func Push(typ string, payload any) Reply {
	return Reply{V: Version, Type: typ, Payload: payload}
}

// ParseRequest validates one text frame and returns the request. On error it
// still returns whatever id it could read, so the error reply can name the
// request it answers.
func ParseRequest(frame []byte) (Request, *Error) {
	var req Request
	if !utf8.Valid(frame) {
		return req, Errorf(CodeBadUTF8, "message is not valid UTF-8")
	}
	trimmed := bytes.TrimSpace(frame)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return req, Errorf(CodeBadJSON, "message must be a JSON object")
	}
	if err := json.Unmarshal(trimmed, &req); err != nil {
		// Salvage the id so the client can match the error to its request.
		var probe struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(trimmed, &probe) == nil && validID(probe.ID) {
			req.ID = probe.ID
		}
		return req, Errorf(CodeBadJSON, "malformed JSON: %s", jsonErrText(err))
	}
	if !validID(req.ID) {
		id := req.ID
		req.ID = ""
		if id == "" {
			return req, Errorf(CodeBadEnvelope, `"id" is required`)
		}
		return req, Errorf(CodeBadEnvelope, `"id" must be 1-%d printable ASCII characters`, MaxIDLen)
	}
	if req.V != Version {
		return req, Errorf(CodeBadVersion, `"v" is %d; this companion speaks protocol version %d`, req.V, Version)
	}
	if req.Type == "" {
		return req, Errorf(CodeBadEnvelope, `"type" is required`)
	}
	if len(req.Type) > MaxTypeLen {
		return req, Errorf(CodeBadEnvelope, `"type" is longer than %d characters`, MaxTypeLen)
	}
	if _, ok := requestTypes[req.Type]; !ok {
		return req, Errorf(CodeUnknownType, "unknown request type %q", req.Type)
	}
	return req, nil
}

func validID(id string) bool {
	if id == "" || len(id) > MaxIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

func jsonErrText(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q must be %s, not %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}

// Validator is implemented by payloads that check themselves after decoding.
type Validator interface{ Validate() error }

// DecodePayload decodes req.Payload into a new T and validates it. Unknown
// fields are ignored so that newer clients can add optional fields.
func DecodePayload[T any](req Request) (T, *Error) {
	var p T
	raw := bytes.TrimSpace(req.Payload)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		raw = []byte("{}")
	}
	if raw[0] != '{' {
		return p, Errorf(CodeInvalidPayload, "%s: payload must be a JSON object", req.Type)
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return p, Errorf(CodeInvalidPayload, "%s: %s", req.Type, jsonErrText(err))
	}
	if v, ok := any(&p).(Validator); ok {
		if err := v.Validate(); err != nil {
			return p, Errorf(CodeInvalidPayload, "%s: %v", req.Type, err)
		}
	}
	return p, nil
}

// fieldErrors collects validation problems so one reply names all of them.
type fieldErrors []string

func (f *fieldErrors) addf(format string, args ...any) { *f = append(*f, fmt.Sprintf(format, args...)) }

func (f fieldErrors) err() error {
	if len(f) == 0 {
		return nil
	}
	return errors.New(strings.Join(f, "; "))
}
