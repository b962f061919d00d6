package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Setting returns the value of a setting, or ErrNotFound.
func (s *Store) Setting(key string) (string, error) {
	var v string
	err := s.view(func(txn *badger.Txn) error { return getJSON(txn, prefSetting+key, &v) })
	if err != nil {
		return "", fmt.Errorf("setting %q: %w", key, err)
	}
	return v, nil
}

// SetSetting stores a setting.
func (s *Store) SetSetting(key, value string) error {
	if key == "" {
		return fmt.Errorf("set setting: %w: empty key", ErrInvalid)
	}
	if err := s.update(func(txn *badger.Txn) error { return setJSON(txn, prefSetting+key, value) }); err != nil {
		return fmt.Errorf("set setting %q: %w", key, err)
	}
	return nil
}

// Settings returns every setting.
func (s *Store) Settings() (map[string]string, error) {
	out := map[string]string{}
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, prefSetting, func(k []byte, v *string) error {
			out[strings.TrimPrefix(string(k), prefSetting)] = *v
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return out, nil
}

// Client is a paired extension install allowed to use the websocket.
type Client struct {
	ID string `json:"id"`
	// Origin is the websocket Origin recorded at pairing, e.g.
	// "chrome-extension://<id>" or "moz-extension://<uuid>".
	Origin string `json:"origin"`
	// TokenHash is a hash of the client's token (never the token itself).
	TokenHash []byte    `json:"token_hash"`
	Label     string    `json:"label,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// PutClient adds or replaces a paired client. CreatedAt defaults to now.
func (s *Store) PutClient(c Client) error {
	if c.ID == "" || strings.ContainsAny(c.ID, "/\x00") || c.Origin == "" || len(c.TokenHash) == 0 {
		return fmt.Errorf("put client: %w: id, origin and token hash are required", ErrInvalid)
	}
	if c.CreatedAt.IsZero() {
		c.CreatedAt = s.now().UTC()
	}
	if err := s.update(func(txn *badger.Txn) error { return setJSON(txn, prefClient+c.ID, c) }); err != nil {
		return fmt.Errorf("put client %q: %w", c.ID, err)
	}
	return nil
}

// Clients returns the paired clients.
func (s *Store) Clients() ([]Client, error) {
	var out []Client
	err := s.view(func(txn *badger.Txn) error {
		return scanJSON(txn, prefClient, func(_ []byte, c *Client) error {
			out = append(out, *c)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	return out, nil
}

// RemoveClient forgets a paired client; ErrNotFound if it was not paired.
func (s *Store) RemoveClient(id string) error {
	err := s.update(func(txn *badger.Txn) error {
		if _, err := txn.Get([]byte(prefClient + id)); err != nil {
			if errors.Is(err, badger.ErrKeyNotFound) {
				return ErrNotFound
			}
			return err
		}
		return txn.Delete([]byte(prefClient + id))
	})
	if err != nil {
		return fmt.Errorf("remove client %q: %w", id, err)
	}
	return nil
}
