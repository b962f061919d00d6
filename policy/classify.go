package policy

import "strings"

// Classify sorts a buyer message into one of the scenarios in DESIGN.md, so
// the extension can offer the right templates first. Each scenario has a
// weighted phrase list (matched like the linter's); the
// highest total wins. Amazon-forwarded messages ("We've been contacted by a
// customer regarding the order identified below") are recognised by their
// header.

const forwardedTag tag = 100

// scenarioPhrases are the phrase lists of the scenarios, by name. A slice,
// not a map: a map literal becomes init code, which policy.wasm's size
// budget cannot afford.
var scenarioPhrases = []struct {
	scenario string
	phrases  []phrase
}{
	{"return-refund", []phrase{
		{pattern: "(want|like|need|wish|going|would_like|d_like|hoping) to (return|send_it_back|send_this_back|send_them_back|send_back|get_a_refund|get_my_money_back|exchange)", weight: 4},
		{pattern: "send (it|this|them|the_item|the_product) back", weight: 3},
		{pattern: "(return|returning|exchange|exchanging) (it|this|the|them|my|these|an|a)", weight: 3},
		{pattern: "(can|could|may|do) i (still|) (return|exchange|send_it_back|get_a_refund)", weight: 3},
		{pattern: "(return*|refund*|exchange|money_back|reimburse*)", weight: 2},
		{pattern: "(not_what_i_expected|changed_my_mind|change_of_mind|dont_like_it|didnt_like|do_not_like|not_as_described|too_small|too_big|too_large|doesnt_fit|does_not_fit|didnt_fit|no_longer_want|return_window|return_policy|return_label)", weight: 2},
		{pattern: "(rucksendung|ruckgabe|zurucksenden|erstattung|geld_zuruck|remboursement|retourner|retour|devolver|devolucion|reembolso|rimborso|reso|restituire)", weight: 3},
	}},
	{"cancel-request", []phrase{
		{pattern: "(cancel|cancelling|canceling|cancelled|canceled|cancellation)", weight: 3},
		{pattern: "(please|want_to|like_to|need_to|can_you|could_you|wish_to|would_like_to|can_i|could_i|how_do_i) cancel", weight: 3},
		{pattern: "(ordered_by_mistake|ordered_by_accident|accidentally_ordered|ordered_twice|duplicate_order|ordered_the_wrong|dont_need_it_anymore|no_longer_need|do_not_need_it)", weight: 2},
		{pattern: "(dont|do_not|please_dont|please_do_not) (ship|send|dispatch|process) (it|this|the_order|my_order|the_item)", weight: 4},
		{pattern: "(stop|hold|halt) (the|my) (order|shipment|delivery)", weight: 3},
		{pattern: "(stornieren|storno|stornierung|annuler|annulation|cancelar|cancelacion|annullare|annullamento)", weight: 4},
	}},
	{"not-received", []phrase{
		{pattern: "(never|not|havent|didnt|did_not|have_not|still_havent|still_not|yet_to) (received|receive|got|gotten|arrived|get|seen)", weight: 4},
		{pattern: "(says|shows|showing|marked|listed|states|status_is|tracking_says|tracking_shows) [as|it_was|that_it_was|it_has_been|its] delivered", weight: 3},
		{pattern: "(missing|lost|stolen|empty) (package|parcel|order|delivery|box|shipment)", weight: 3},
		{pattern: "(nothing|it|the_package|the_parcel|my_package|my_parcel|my_order|the_order) (has|have|still_has|still_hasnt|hasnt|has_not|havent|have_not|still_has_not|never) (arrived|come|been_delivered|shown_up|turned_up|not_arrived|not_come)", weight: 3},
		{pattern: "(package|parcel|order|delivery|shipment|it) (is|was|has_been|got) (missing|lost|stolen|never_delivered|not_delivered|delivered_to_the_wrong)", weight: 3},
		{pattern: "(cant_find|cannot_find|can_not_find|nowhere_to_be_found|not_in_my_mailbox|not_at_my_door|wrong_address|neighbour|neighbor|not_here|did_not_arrive|didnt_arrive|never_arrived|never_came|never_showed)", weight: 3},
		{pattern: "(nicht_erhalten|nicht_angekommen|nie_angekommen|pas_recu|jamais_recu|no_he_recibido|no_recibi|non_ho_ricevuto|mai_arrivato)", weight: 4},
	}},
	{"where-is-order", []phrase{
		{pattern: "where is (my|the|our) (order|package|parcel|item|delivery|shipment|stuff)", weight: 4},
		{pattern: "(has|did|have) (my|the|it|this) [order|package|item|parcel] (ship|shipped|been_shipped|been_sent|been_dispatched|dispatched|left)", weight: 4},
		{pattern: "when (will|is|does|should|can_i_expect|do_i_get) (it|my_order|my_package|my_parcel|my_item|this|the_order|the_package|the_item|my_delivery) [going_to|expected_to] (arrive|ship|be_delivered|get_here|be_shipped|be_here|come|expected|due|be_sent|reach_me|be_dispatched|dispatch|be_sent_out|leave|go_out)", weight: 3},
		{pattern: "when (my|the|our|this) (order|package|item|parcel|delivery|shipment) (will|is_going_to|should|is_expected_to|is_supposed_to) (ship|arrive|be_delivered|be_shipped|come|be_sent|get_here)", weight: 4},
		{pattern: "(any|an) (update|news|information|info) (on|about|regarding) (my|the|our) (order|package|delivery|shipment|parcel)", weight: 3},
		{pattern: "(tracking_info|tracking_information|tracking_number|tracking_update|no_tracking|track_my|tracking_hasnt|tracking_has_not|tracking_not|status_of_my|order_status|shipped_yet|not_shipped|not_yet_shipped|hasnt_shipped|has_not_shipped|still_not_shipped|no_update|estimated_delivery|delivery_date|expected_delivery|running_late|is_late|its_late|order_late|package_late|is_delayed|been_delayed|taking_so_long|taking_too_long|taking_forever|still_waiting|waiting_for_my)", weight: 2},
		{pattern: "(wo_ist_meine|wo_bleibt|ou_est_ma|ou_en_est|donde_esta_mi|dove_il_mio|dov_e_il_mio)", weight: 4},
	}},
	{"damaged-defective", []phrase{
		{pattern: "(broken|broke|cracked|crack|damaged|damage|dented|dent|shattered|torn|ripped|leaking|leaked|leaks|scratched|scratches|smashed|crushed|bent|chipped|stained|mouldy|moldy|rusty|rusted|melted|burnt|burned)", weight: 3},
		{pattern: "(defective|faulty|not_working|doesnt_work|does_not_work|didnt_work|did_not_work|stopped_working|quit_working|wont_work|wont_turn_on|will_not_turn_on|doesnt_turn_on|does_not_turn_on|wont_charge|will_not_charge|doesnt_charge|wont_start|dead_on_arrival|doa|malfunction*|died|is_dead|seems_dead|was_dead|no_power|not_charging|not_heating|not_cooling|keeps_turning_off|error_code|falls_apart|fell_apart|came_apart|poor_quality|bad_quality)", weight: 3},
		{pattern: "(missing_parts|missing_part|parts_missing|part_missing|missing_pieces|missing_screws|incomplete)", weight: 2},
		{pattern: "(beschadigt|kaputt|defekt|funktioniert_nicht|endommage|casse|abime|ne_fonctionne_pas|danado|roto|no_funciona|danneggiato|rotto|non_funziona)", weight: 4},
	}},
	{"wrong-item", []phrase{
		{pattern: "wrong (item|items|size|color|colour|model|product|one|version|order|thing|book|part|style|variant|flavor|flavour|quantity)", weight: 4},
		{pattern: "(not|isnt|is_not|wasnt|was_not|this_is_not|that_is_not) what i (ordered|bought|purchased|paid_for)", weight: 4},
		{pattern: "(sent|shipped|received|got|delivered) (me|us|) (the_wrong|a_different|the_different|another|an_incorrect|incorrect|someone_elses)", weight: 4},
		{pattern: "(different|another|incorrect) (item|product|color|colour|size|model|style) (than|from|to|instead)", weight: 3},
		{pattern: "(instead_of|ordered_a|ordered_the|i_ordered) ", weight: 1},
		{pattern: "(falscher_artikel|falsche_grosse|falsche_farbe|mauvais_article|mauvaise_taille|articulo_equivocado|talla_equivocada|articolo_sbagliato|taglia_sbagliata)", weight: 4},
	}},
	{"product-question", []phrase{
		{pattern: "(will|does|do|can|is|are|would|could) (this|it|these|they|the|that_one|this_one|the_item|the_product)", weight: 2},
		{pattern: "(compatible|compatibility|fit_my|fit_a|fits_a|fits_my|work_with|works_with|work_in|work_on|suitable_for|come_with|comes_with|include|included|dimensions|measurements|material|made_of|made_from|specifications|specs|instructions|manual|how_to_use|how_do_i_use|how_do_i_set|set_it_up|assemble|assembly|size_chart|waterproof|voltage|warranty|in_stock|restock|available_in|bpa_free|dishwasher_safe|machine_washable)", weight: 2},
		{pattern: "(question|questions) (about|regarding|on) (the|this|your) (product|item|listing)", weight: 3},
		{pattern: "(how|what|which) (do|does|is|are|size|long|big|many|much|tall|wide|heavy|color|colour)", weight: 1},
	}},
	{"thank-you", []phrase{
		{pattern: "(thank_you|thanks|thank_u|thx|many_thanks|much_appreciated|appreciate_it|appreciate_your)", weight: 2},
		{pattern: "(arrived_quickly|arrived_early|arrived_fast|arrived_on_time|fast_delivery|quick_delivery|fast_shipping|quick_shipping|great_product|excellent_product|love_it|loves_it|love_the|works_great|works_perfectly|works_well|as_described|very_happy|so_happy|really_happy|great_service|excellent_service|great_seller|perfect|well_packaged|exactly_what_i_wanted|highly_recommend)", weight: 2},
		{pattern: "(danke|vielen_dank|merci|gracias|grazie)", weight: 2},
	}},
	{"address-change", []phrase{
		{pattern: "(change|update|correct|fix|edit|modify|amend|wrong|new|different|another|office|work|old) (the|my|our|) [shipping|delivery|mailing] address", weight: 4},
		{pattern: "(ship|send|deliver|redirect|reroute|forward) (it|this|the_order|the_package|my_order|my_package|to|them) (to|my|a|instead)", weight: 2},
		{pattern: "(ship|send|deliver) to (my|a|another|the_new|our) (office|work|new|other|different|sister|mother|friend|parents|business)", weight: 3},
		{pattern: "(wrong|incorrect|misspelled|typo_in_the|typo_in_my|mistake_in_the|mistake_in_my) (street|house|apartment|apt|flat|unit|suite|building|zip|postal|post|door) (number|code|name|no)", weight: 4},
		{pattern: "(street_number|house_number|zip_code|postcode|postal_code|post_code|apartment_number)", weight: 2},
		{pattern: "(address_change|address_correction|address_update|change_of_address|i_moved|we_moved|have_moved|typo_in|apartment_number|apt_number|unit_number|suite_number|wrong_zip|wrong_postcode|incomplete_address)", weight: 3},
		{pattern: "(adresse_andern|adresse_aendern|falsche_adresse|lieferadresse|changer_l_adresse|changer_mon_adresse|cambiar_la_direccion|cambiar_mi_direccion|cambiare_indirizzo)", weight: 4},
	}},
	{"a-to-z-claim", []phrase{
		{pattern: "(a_to_z|a_z_claim|a_z_guarantee|atoz|a_to_z_guarantee|az_claim|guarantee_claim|amazon_guarantee)", weight: 5},
		{pattern: "(filed|file|filing|open|opened|opening|submitted|submit|start|started) (a|an) (claim|dispute|case)", weight: 3},
		{pattern: "(chargeback|charge_back|dispute_the_charge|dispute_with_my_bank|credit_card_dispute|bank_dispute|contact_my_bank|reverse_the_charge)", weight: 4},
		{pattern: "(information_request|request_for_information|claim_id|claim_number)", weight: 3},
	}},
	{"feedback-review", []phrase{
		{pattern: "(review|reviews|feedback|rating|ratings|stars)", weight: 2},
		{pattern: "(change|remove|update|delete|edit|revise|take_down|asked_me_to_change|asking_me_to_change|asked_me_to_remove|asking_me_to_remove) (my|the|a) (review|feedback|rating)", weight: 4},
		{pattern: "(left|leave|leaving|wrote|write|posted|post|writing) (a|my|the|an|some) [honest|negative|positive|bad|good] (review|feedback|rating)", weight: 3},
		{pattern: "(review_request|request_a_review|asked_for_a_review|asking_for_a_review|asked_me_for_a_review)", weight: 3},
	}},
	{"invoice-request", []phrase{
		{pattern: "(invoice|invoices|receipt|receipts|bill|billing_document|proof_of_purchase|tax_document)", weight: 4},
		{pattern: "(vat|tax|gst|company|business|commercial|itemized|itemised) (invoice|receipt|bill)", weight: 3},
		{pattern: "(rechnung|facture|factura|fattura)", weight: 5},
	}},
}

var classifyM *matcher
var scenarioTags []string

func init() { initClassifier() }

func initClassifier() {
	scenarioTags = scenarioTags[:0]
	var phrases []phrase
	for i, s := range Scenarios {
		scenarioTags = append(scenarioTags, s)
		for _, sp := range scenarioPhrases {
			if sp.scenario != s {
				continue
			}
			for _, p := range sp.phrases {
				p.tag = tag(i + 1)
				phrases = append(phrases, p)
			}
		}
	}
	phrases = append(phrases,
		phrase{tag: forwardedTag, pattern: "been contacted by (a|the) (customer|buyer) regarding the order", weight: 8},
		phrase{tag: forwardedTag, pattern: "(contacted_by_a_customer|regarding_the_order_identified_below)", weight: 4},
	)
	classifyM = newMatcher(phrases)
}

// Classify returns the scenario of a buyer message.
func Classify(text string) Classification {
	c := Classification{Scenario: "other", Evidence: []Span{}}
	if text == "" {
		return c
	}
	l := getLinter()
	defer putLinter(l)
	l.nt.reset(text)
	l.normS = l.nt.view()
	l.tokenize()
	l.lex, l.hits = classifyM.match(l.nt.norm, l.starts, l.lex, l.hits[:0])

	var score [16]int
	forwarded := 0
	for _, h := range l.hits {
		w := int(classifyM.phrases[h.pat].weight)
		if h.tag == forwardedTag {
			forwarded += w
			continue
		}
		score[h.tag] += w
	}
	if forwarded >= 4 {
		c.Forwarded = true
		// Amazon forwards a buyer's contact when the buyer has asked Amazon to
		// step in: answer it as an A-to-z matter, whatever the reason line says.
		score[indexOfScenario("a-to-z-claim")+1] += 100
	}
	// A question with nothing more specific is a product question.
	if strings.IndexByte(l.normS, '?') >= 0 {
		score[indexOfScenario("product-question")+1]++
	}
	best, second := 0, 0
	for i := 1; i <= len(Scenarios); i++ {
		switch {
		case score[i] > score[best]:
			second = score[best]
			best = i
		case score[i] > second:
			second = score[i]
		}
	}
	if best > 0 && score[best] >= 2 {
		c.Scenario = scenarioTags[best-1]
		b := float64(score[best])
		conf := (b - float64(second)/2) / b
		if b < 5 {
			conf *= 0.5 + b/10
		}
		c.Confidence = round2(conf)
		conv := l.nt.offsets(&l.excess)
		for _, h := range l.hits {
			if int(h.tag) == best || c.Forwarded && h.tag == forwardedTag {
				s, e := l.nt.span(int(h.ns), int(h.ne))
				c.Evidence = append(c.Evidence, Span{Start: conv.u16(s), End: conv.u16(e)})
			}
		}
	} else {
		c.Confidence = 0.5
	}
	c.OrderID = l.firstOrderID()
	return c
}

func round2(f float64) float64 {
	if f < 0 {
		f = 0
	}
	if f > 1 {
		f = 1
	}
	return float64(int(f*100+0.5)) / 100
}

func indexOfScenario(s string) int {
	for i, x := range Scenarios {
		if x == s {
			return i
		}
	}
	return -1
}

// firstOrderID returns the first 123-1234567-1234567 in the tokens.
func (l *linter) firstOrderID() string {
	for i := 0; i+2 < len(l.toks); i++ {
		a, b, c := l.toks[i], l.toks[i+1], l.toks[i+2]
		if a.letters == 0 && b.letters == 0 && c.letters == 0 && a.digits == 3 && b.digits == 7 && c.digits == 7 &&
			l.gap(i) == "-" && l.gap(i+1) == "-" && (i == 0 || l.gap(i-1) != "-") {
			return strings.Clone(l.normS[a.ns:c.ne]) // normS is reused by the next call
		}
	}
	return ""
}
