package templates_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/replyguard/replyguard/templates"
)

func ExampleTemplate_Render() {
	src := `id: ship-by
title: Ships by a date
scenarios: where-is-order
kind: reply
field: ship_by date "Ships by" default=today+2bd format=weekday
---
Hello {buyer_name}, order {order_id} ships by {ship_by} with {carrier}.
`
	t, err := templates.Parse("ship-by.tmpl", []byte(src))
	if err != nil {
		panic(err)
	}
	friday := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	r, err := t.Render(map[string]string{"buyer_name": "Maria", "order_id": "12-34"}, friday)
	fmt.Println(r.Text)
	for _, s := range r.Unfilled {
		fmt.Printf("unfilled %s at [%d,%d)\n", s.Name, s.Start, s.End)
	}
	var ve *templates.ValuesError
	if errors.As(err, &ve) {
		for _, p := range ve.Problems {
			fmt.Printf("%s: %s\n", p.Name, p.Problem)
		}
	}
	// Output:
	// Hello Maria, order [Order ID] ships by Tuesday, November 24 with [Carrier].
	// unfilled order_id at [19,29)
	// unfilled carrier at [65,74)
	// order_id: is not an Amazon order id (3-7-7 digits, e.g. 114-3941689-8772232)
	// carrier: is missing
}
