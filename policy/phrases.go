package policy

// Phrase lists, one per tag. Rules combine tags within a sentence (see
// rules_*.go), so a list says what a phrase *is* ("an incentive", "asking for
// a review"), not which rule it breaks. Pattern syntax: see expand.

type tag uint8

const (
	tagNone tag = iota
	tagReviewAsk
	tagReviewNoun
	tagPositiveReview // "5-star review": fix offers neutral wording
	tagOnlyIfHappy
	tagNegativeReview
	tagBeforeReview
	tagFeedbackChange
	tagIncentive
	tagExchangeLink
	tagPromo
	tagOffSale
	tagOffContact
	tagExtraPay
	tagOptOut
	tagHostile
	tagPII
	tagAskVerb
	tagCarrierMaker
	tagPhoneCtx
	tagNotPhoneCtx
	tagRedundant
	tagProblem
	tagCancelAsk
	tagOverpromise
	tagMisspelling
	tagResolved
	tagPressure
	tagNegation
	tagThanks
	tagEmoticon
	tagRefund
	tagSearchVerb
	tagSearchEngine
	tagReviewVerb
	tagChangeVerb
	numTags
)

// Sentence tag sets are uint64 bit masks: at most 64 tags.
var _ [64 - numTags]struct{}

// combos derive a tag from two phrases in order, a few words apart in one
// sentence: "leave" ... "review" is asking for a review whether the seller
// writes "leave a review" or "leave us a short, honest review". Writing these
// as one pattern with optional words would multiply into tens of thousands
// of phrases.
var combos = []struct {
	first, then, result tag
	maxWords            int
}{
	{tagReviewVerb, tagReviewNoun, tagReviewAsk, 4},
	{tagChangeVerb, tagReviewNoun, tagFeedbackChange, 3},
	{tagSearchVerb, tagSearchEngine, tagOffSale, 4}, // "search 'Oakridge' on Google"
}

var lintPhrases = []phrase{
	// --- reviews ---
	{tag: tagReviewVerb, pattern: "(leave|leaving|left|write|writing|post|posting|give|giving|share|sharing|drop|submit|submitting|add|adding)"},
	{tag: tagReviewAsk, pattern: "(review|rate) (us|the_product|this_product|the_item|this_item|your_purchase|our_product|the_seller|your_experience)"},
	{tag: tagReviewAsk, pattern: "(for|in_exchange_for|in_return_for) (a|an|your|the) [honest|good|great|positive|nice] (review|feedback|rating)"},
	{tag: tagReviewAsk, pattern: "(request|requesting|ask|asking) (a|for_a|for_your|your) (review|feedback)"},
	{tag: tagReviewAsk, pattern: "(in|with|as|through|via) (a|an) [short|quick|brief|honest|product] (review|rating)"},
	{tag: tagReviewNoun, pattern: "(review|reviews|feedback|rating|ratings|stars|testimonial|comment|comments)"},
	{tag: tagPositiveReview, pattern: "(5|five|4|four|full|5_out_of_5) (star|stars) [product|seller] (review|reviews|rating|ratings|feedback)", payload: "review"},
	{tag: tagPositiveReview, pattern: "(positive|good|great|glowing|favorable|favourable|excellent|nice|perfect|top|stellar|awesome|amazing|shining|happy|fantastic|wonderful|rave) (review|reviews|rating|ratings|feedback)", payload: "review"},
	{tag: tagPositiveReview, pattern: "(rate|rating|give|giving) (us|it|the_product|this) (5|five|full) [stars]"},
	{tag: tagPositiveReview, pattern: "(5|five) stars"},
	{tag: tagOnlyIfHappy, pattern: "if you (are|were|feel|felt) [completely|fully|totally|100%|very|really] (happy|satisfied|pleased|delighted|thrilled)"},
	{tag: tagOnlyIfHappy, pattern: "if you (loved|liked|enjoyed|love|like|enjoy|are_enjoying|had_a_good|had_a_great|had_a_positive)"},
	{tag: tagOnlyIfHappy, pattern: "(only|just) (if|when) you"},
	{tag: tagOnlyIfHappy, pattern: "if (you_are|youre) (happy|satisfied)"},
	{tag: tagNegativeReview, pattern: "(negative|bad|poor|low|critical|unfavorable|unfavourable|unhappy|1_star|one_star|2_star|two_star|3_star|three_star|low_star) (review|reviews|feedback|rating|ratings)"},
	{tag: tagBeforeReview, pattern: "(before|instead_of|rather_than|prior_to) (you|) (leave|leaving|post|posting|write|writing|give|giving|submit|submitting|rate|rating)"},
	{tag: tagBeforeReview, pattern: "(contact|reach_out_to|reach|message|email|tell|talk_to) us (first|before)"},
	{tag: tagBeforeReview, pattern: "(dont|do_not|please_dont|please_do_not) (leave|post|write|give|submit)"},
	{tag: tagChangeVerb, pattern: "(remove|removing|change|changing|update|updating|revise|revising|edit|editing|delete|deleting|withdraw|withdrawing|amend|amending|modify|modifying|reconsider|reconsidering|improve|improving|upgrade|upgrading|raise|raising|adjust|adjusting) (your|the|that|this|those|my|our|it)"},
	{tag: tagFeedbackChange, pattern: "(take|taking|took) (down|off) (your|the|that|this) [negative|bad|poor|low] (review|feedback|rating|comment)"},
	{tag: tagFeedbackChange, pattern: "(take|taking) (your|the|that|this) [negative|bad|poor|low] (review|feedback|rating|comment) (down|off)"},
	{tag: tagFeedbackChange, pattern: "(removal|revision|update|change) (of|to) (your|the|that) [negative] (review|feedback|rating)"},
	{tag: tagFeedbackChange, pattern: "(feedback|review) removal"},
	{tag: tagIncentive, pattern: "(free|complimentary) (gift|gifts|product|products|item|items|sample|samples|set|second|second_set|unit|replacement|upgrade|shipping|bottle|pack|one|copy|bonus|accessory|refill|refills)"},
	{tag: tagIncentive, pattern: "(for|get|receive|send|give|offer|win) [you] [a|an|another] free"},
	{tag: tagIncentive, pattern: "(gift|gifts|gift_card|gift_cards|giftcard|voucher|vouchers|coupon|coupons|cashback|cash_back|money_back|rebate|rebates|reward|rewards|bonus|freebie|freebies|compensation|compensate|cash|discount|discounts|discounted)"},
	{tag: tagRefund, pattern: "(refund|refunds|refunded|refunding|reimburse|reimbursed|reimbursement|pay_you|paid|pay_for)"},
	{tag: tagIncentive, pattern: "(%_off|percent_off|per_cent_off)"},
	{tag: tagIncentive, pattern: "(in_exchange|in_return)"},
	{tag: tagExchangeLink, pattern: "so (that|) (you|u) (would|will|can|could|might|d|ll) (update|change|remove|revise|delete|edit|amend|modify|take|withdraw|improve|raise|adjust|reconsider|leave|write|post|give)"},
	{tag: tagExchangeLink, pattern: "(if|once|after|when|as_soon_as) (you|u) (remove|change|update|revise|delete|edit|amend|modify|take|withdraw|improve|raise|adjust|leave|write|post|give|have_removed|have_changed|have_updated|ve_removed)"},
	{tag: tagExchangeLink, pattern: "now that (we|i) (have|ve|) (refunded|replaced|sent|compensated|reimbursed|issued|given|credited|paid)"},
	{tag: tagExchangeLink, pattern: "(in_exchange|in_return|in_exchange_for|in_return_for|in_return)"},
	{tag: tagExchangeLink, pattern: "(we|i) (refunded|reimbursed|compensated|credited|paid) (you|u) so"},
	// --- promotion and selling elsewhere ---
	{tag: tagPromo, pattern: "(use|apply|enter|redeem) [the|our|my|this|code] [promo|promotional|coupon|discount|voucher] code"},
	{tag: tagPromo, pattern: "(promo|promotional|coupon|discount|voucher|referral) (code|codes)"},
	{tag: tagPromo, pattern: "(%_off|percent_off|per_cent_off)"},
	{tag: tagPromo, pattern: "(holiday|black_friday|cyber_monday|flash|big|summer|winter|spring|autumn|fall|clearance|christmas|xmas|seasonal|annual|huge|mega|store_wide|storewide|easter|halloween|boxing_day|prime_day|anniversary|weekend) (sale|sales|deal|deals|offer|offers)"},
	{tag: tagPromo, pattern: "(on_sale|sale_ends|sale_starts|sale_this|sale_now|sale_today)"},
	{tag: tagPromo, pattern: "(vip|loyalty|rewards|members|membership|fan|customer) (club|program|programme|list|newsletter|group|community)"},
	{tag: tagPromo, pattern: "(join_our|join_us|sign_up|signup|subscribe_to|newsletter|mailing_list)"},
	{tag: tagPromo, pattern: "(new|latest|newest) (arrivals|collection|collections|designs|range|line|products|releases) [are|is|just]"},
	{tag: tagPromo, pattern: "check out (our|the) (other|new|latest|full|entire|whole|range|store|shop|collection|catalog|catalogue|products)"},
	{tag: tagPromo, pattern: "(special|exclusive|limited|limited_time|great|best|amazing) (offer|offers|deal|deals|discount|discounts|promotion|promotions|price|prices)"},
	{tag: tagPromo, pattern: "(limited_time|early_access|dont_miss|do_not_miss|shop_now|buy_now|order_now|hurry|while_stocks_last|while_supplies_last|buy_one_get|buy_1_get|bogo|2_for_1|two_for_one)"},
	{tag: tagPromo, pattern: "(other|more|similar) products (you|that_you) (may|might|would|will) (like|love|enjoy)"},
	{tag: tagPromo, pattern: "(follow|like) us on"},
	{tag: tagPromo, pattern: "(your|the) next (order|purchase) with us"},
	{tag: tagPromo, pattern: "(discount|discounts|coupon|voucher|savings|saving|credit|deal|free|off) (on|off|for|with) your next (order|purchase|visit)"},
	{tag: tagPromo, pattern: "(buy|order|purchase|get) (1|2|3|4|one|two|three|four) [and|&] (get|receive) (1|one|another|a|the_second|the_third|a_second|a_third) (free|half_price|at_half_price)"},
	{tag: tagOffSale, pattern: "(buy|order|purchase|shop|buying|ordering|purchasing|shopping) [from|with|through] (us|me) directly"},
	{tag: tagOffSale, pattern: "(buy|order|purchase|shop|buying|ordering|purchasing|shopping) directly (from|through|on|via|at|with)"},
	{tag: tagOffSale, pattern: "(our|my) [own] (website|web_site|web_shop|webshop|online_store|online_shop|shopify|shopify_store|etsy|etsy_shop|ebay|ebay_store|homepage|home_page|site)"},
	{tag: tagOffSale, pattern: "(cheaper|lower_price|better_price|better_deal|better_deals|discount) (on|at|from|through|via|if_you_buy_from) (our|my)"},
	{tag: tagOffSale, pattern: "(skip|avoid|bypass|without) amazon"},
	{tag: tagOffSale, pattern: "(outside|off) [of] amazon"},
	{tag: tagOffSale, pattern: "(not|instead_of) (through|via|on) amazon"},
	{tag: tagOffSale, pattern: "(etsy|ebay|shopify|walmart|aliexpress|temu)"},
	{tag: tagSearchVerb, pattern: "(search|searching|look_up|look_us_up|google|find_us|look_for|type)"},
	{tag: tagSearchEngine, pattern: "(on|via|with|in|into) (google|bing|duckduckgo|yahoo)"},
	{tag: tagOffSale, pattern: "(google|search_for|look_up) (us|our_name|our_brand|our_store|our_shop|our_company)"},
	// --- contact outside Amazon ---
	{tag: tagOffContact, pattern: "(whatsapp|whats_app|telegram|wechat|viber|skype|kakaotalk|imessage|snapchat|tiktok|facebook|instagram|twitter|messenger|fb_messenger|linkedin|discord)"},
	{tag: tagOffContact, pattern: "(on|via|over|through|using|use) signal"},
	{tag: tagOffContact, pattern: "(dm|pm|inbox|direct_message|private_message) (us|me)"},
	{tag: tagOffContact, pattern: "(text|call|phone|ring|telephone|email|e_mail|mail|contact|reach|message|ping|write_to) (us|me) (directly|personally|privately|outside|off)"},
	{tag: tagOffContact, pattern: "(call|phone|ring|telephone|text|whatsapp) (us|me) (on|at|via)"},
	{tag: tagOffContact, pattern: "(call|phone|ring|telephone|text) (us|me)"},
	{tag: tagOffContact, pattern: "(our|my) (personal|private|direct|own) (email|e_mail|number|phone|line|contact|address|account)"},
	{tag: tagOffContact, pattern: "(give|send) (us|me) a (call|ring|text)"},
	// --- payments outside Amazon ---
	{tag: tagExtraPay, pattern: "(paypal|pay_pal|venmo|zelle|cash_app|cashapp|western_union|moneygram|bitcoin|crypto|cryptocurrency|usdt|alipay|wechat_pay|revolut|apple_cash|google_pay|iban|swift_code|sort_code|routing_number)"},
	{tag: tagExtraPay, pattern: "(bank|wire|money|direct) (transfer|deposit)"},
	{tag: tagExtraPay, pattern: "(send|pay|transfer|wire) [us|me] (the|a|an|your|) (difference|deposit|extra|balance|remaining_amount|remainder|surcharge)"},
	{tag: tagExtraPay, pattern: "pay (us|me) (directly|separately|outside|extra|the|an|more)"},
	{tag: tagExtraPay, pattern: "(additional|extra|separate|direct) (payment|payments)"},
	{tag: tagExtraPay, pattern: "(payment|pay) link"},
	{tag: tagExtraPay, pattern: "(send|transfer|wire) (us|me) (payment|money|the_money|funds)"},
	{tag: tagExtraPay, pattern: "(send|make|arrange) (a|the) payment (to|directly)"},
	// --- opt-out ---
	{tag: tagOptOut, pattern: "(unsubscribe|unsubscribing|opt_out|opt_out_of|opting_out|stop_receiving|no_longer_receive|no_longer_wish_to_receive|manage_your_preferences|manage_preferences|email_preferences|reply_stop|text_stop|click_here)"},
	// --- tone ---
	{tag: tagHostile, pattern: "(scam|scams|scammer|scammers|scamming|scammed|fraudster|fraudsters|liar|liars|thief|thieves|crook|crooks|idiot|idiots|idiotic|stupid|moron|morons|dumb|pathetic|disgusting|shameful|shame_on_you|how_dare|shut_up|nonsense|ridiculous|cheater|cheaters|con_artist)"},
	{tag: tagHostile, pattern: "(stop|quit|keep|are|were|is) lying"},
	{tag: tagHostile, pattern: "(you|u) (lied|lie|are_lying|re_lying|stole|have_stolen|steal|are_stealing|cheated|are_cheating|broke_it|damaged_it|destroyed_it|know_it|know_very_well|clearly_used|are_abusing|abused)"},
	{tag: tagHostile, pattern: "(dont|do_not|stop) (lie|lying|steal|stealing|cheat|cheating|play_games|waste_our_time)"},
	{tag: tagHostile, pattern: "(we|i|will|going_to|gonna|ll) sue"},
	{tag: tagHostile, pattern: "sue (you|u|your)"},
	{tag: tagHostile, pattern: "(legal_action|take_you_to_court|see_you_in_court|our_lawyer|our_lawyers|our_attorney|my_lawyer|my_attorney|court_action|legal_proceedings|press_charges)"},
	{tag: tagHostile, pattern: "(report|reporting) (you|u|this) to (the_police|police|amazon|the_authorities|authorities)"},
	{tag: tagHostile, pattern: "(call|calling|contact|contacting) the police"},
	{tag: tagHostile, pattern: "(your_own_fault|your_fault|you_broke|you_ruined|blacklist|blacklisted|ban_you|we_know_it|we_know_what_you|we_know_you)"},
	{tag: tagHostile, pattern: "(fake|bogus|fraudulent|false) (claim|claims|complaint|complaints|return|returns|story|excuse)"},
	{tag: tagHostile, pattern: "(trying|tried|try) to (cheat|scam|rip|trick|fool|con|steal|get_a_free|get_free)"},
	{tag: tagHostile, pattern: "rip (us|me) off"},
	{tag: tagHostile, pattern: "(abuse|abusing|abused) (the|our|amazons|of_the) (return|returns|system|policy|a_to_z)"},
	// --- personal data ---
	{tag: tagPII, pattern: "(your|ur) (personal|private|direct|mobile|cell|home|) (phone|mobile|cell|cellphone|telephone|contact|whatsapp) (number|no)"},
	{tag: tagPII, pattern: "(your|ur) (personal|private|direct|real|own|) (email|e_mail|gmail|mail) [address]"},
	{tag: tagPII, pattern: "(your|ur) (credit|debit|bank) (card|account|details)"},
	{tag: tagPII, pattern: "(card|account|bank|banking|payment|login) (number|details|information|info|credentials)"},
	{tag: tagPII, pattern: "(your|ur) (password|passcode|pin|login|username|security_code|cvv|cvc)"},
	{tag: tagPII, pattern: "(date|day) of birth"},
	{tag: tagPII, pattern: "(your|ur) (birthday|dob|age|social_security|ssn|passport|drivers_license|driving_licence|driver_license|id_card|national_id|tax_id)"},
	{tag: tagPII, pattern: "(social_security_number|social_security)"},
	{tag: tagPII, pattern: "(and|or|plus|with|also) [your|a|the] [personal|private|direct|mobile|cell] (phone|mobile|cell|cellphone|telephone|whatsapp|contact) (number|no)"},
	{tag: tagAskVerb, pattern: "(send|give|provide|share|tell|confirm|need|require|want|verify|reply_with|respond_with|let_us_know|let_me_know|what_is|whats|can_you|could_you|would_you|please|ask_for|asking_for|include|write_down|type)"},
	// --- context words for phone numbers ---
	{tag: tagCarrierMaker, pattern: "(ups|usps|fedex|dhl|royal_mail|canada_post|canadapost|evri|hermes|dpd|gls|postnl|correos|colissimo|la_poste|deutsche_post|japan_post|yamato|sagawa|australia_post|auspost|ontrac|lasership|purolator|tnt|yodel|parcelforce|amazon_logistics|amazon_shipping|carrier|carriers|courier|couriers|post_office|postal_service|delivery_company|shipping_company|bluedart|delhivery|aramex|sf_express|poste_italiane|inpost|chronopost)"},
	{tag: tagCarrierMaker, pattern: "(manufacturer|manufacturers|manufacturer_s|maker|makers|brand_owner|brand_support|factory|warranty|warranties|guarantee_line|helpline|help_line|support_line|service_center|service_centre|repair_center|repair_centre|authorized_service|authorised_service)"},
	{tag: tagPhoneCtx, pattern: "(call|calls|calling|phone|phoned|tel|telephone|text|texting|ring|dial|whatsapp|mobile|cell|cellphone|hotline|helpline|fax|reach|contact|line|number)"},
	{tag: tagNotPhoneCtx, pattern: "(order|tracking|track|model|part|item|serial|sku|asin|upc|ean|isbn|gtin|rma|return|returns|invoice|reference|ref|batch|lot|case|claim|transaction|confirmation|po|purchase_order|zip|postcode|postal_code|account|product|style|catalog|catalogue|article|art|code|id|ticket|shipment|package|parcel|label|voucher|receipt|vin|imei|mpn|bin|location|unit|room|suite|apt|apartment|building|flight|version|size|pin|qty|quantity) [number|no|num|nr|#|id|code|ref|:]"},
	{tag: tagNotPhoneCtx, pattern: "(nr|num|#|pn|p_n|sn|s_n|ref)"},
	// --- proactive message purpose ---
	{tag: tagRedundant, pattern: "(has|have|was|were|is|are) [now|just|already] [been] (shipped|dispatched|sent_out|delivered)"},
	{tag: tagRedundant, pattern: "(shipping|shipment|dispatch|order|delivery|purchase) (confirmation|confirmed|notification)"},
	{tag: tagRedundant, pattern: "(thank_you|thanks) (for|for_your|for_the) (order|purchase|ordering|buying|shopping)"},
	{tag: tagRedundant, pattern: "(is|are) (on_its_way|on_their_way|on_the_way|out_for_delivery|in_transit)"},
	{tag: tagRedundant, pattern: "(we|i) (have|ve) (received|processed|confirmed) your (order|purchase)"},
	{tag: tagProblem, pattern: "(delay|delayed|delays|problem|problems|issue|issues|unfortunately|sorry|apologize|apologise|apologies|out_of_stock|backorder|backordered|back_order|missing|damaged|defect|defective|recall|cannot|cant|unable|need_to_confirm|please_confirm|confirm|could_you|can_you|would_you|question|choose|select|schedule|appointment|customi|personali|engrav|invoice|attached|warranty|instructions|manual|safety)"},
	// --- cancellations ---
	{tag: tagCancelAsk, pattern: "(please|kindly|could_you|can_you|would_you|you_can|you_could|you_may|you_will_need_to|you_need_to|you_have_to|you_should|you_must|need_you_to|ask_you_to|asking_you_to|request_you_to|you_ll_need_to) (cancel|request_a_cancellation|request_cancellation|request_to_cancel|submit_a_cancellation|submit_a_cancellation_request|ask_amazon_to_cancel|ask_for_a_cancellation|cancel_it|cancel_the_order|cancel_your_order)"},
	{tag: tagCancelAsk, pattern: "cancel (it|the_order|your_order|this_order) (yourself|from_your_side|from_your_end|from_your_account|on_your_end|on_your_side|through_your_account)"},
	// --- promises ---
	{tag: tagOverpromise, pattern: "(we|i) (guarantee|promise|can_guarantee|can_promise)"},
	{tag: tagOverpromise, pattern: "(100%|one_hundred_percent|absolutely|definitely) (guaranteed|guarantee|sure|certain)"},
	{tag: tagOverpromise, pattern: "guaranteed (to_arrive|delivery|arrival|by|to_be_delivered|tomorrow|today)"},
	{tag: tagOverpromise, pattern: "will (definitely|certainly|surely|100%|absolutely) (arrive|be_delivered|reach_you|get_to_you|be_there|work)"},
	{tag: tagOverpromise, pattern: "(for_sure|without_fail|no_matter_what)"},
	{tag: tagOverpromise, pattern: "(will|can) never (break|fail|happen_again|stop_working)"},
	// --- emoticons (ASCII; emoji proper are found in recognize_text.go) ---
	{tag: tagEmoticon, pattern: ":-)"}, {tag: tagEmoticon, pattern: ":)"}, {tag: tagEmoticon, pattern: ":-("}, {tag: tagEmoticon, pattern: ":("},
	{tag: tagEmoticon, pattern: ";-)"}, {tag: tagEmoticon, pattern: ";)"}, {tag: tagEmoticon, pattern: ":-D"}, {tag: tagEmoticon, pattern: ":D"},
	{tag: tagEmoticon, pattern: ":-P"}, {tag: tagEmoticon, pattern: ":P"}, {tag: tagEmoticon, pattern: ";P"}, {tag: tagEmoticon, pattern: ":-/"},
	{tag: tagEmoticon, pattern: "<3"}, {tag: tagEmoticon, pattern: "xD"}, {tag: tagEmoticon, pattern: "=)"}, {tag: tagEmoticon, pattern: "=D"},
	{tag: tagEmoticon, pattern: "^_^"}, {tag: tagEmoticon, pattern: "^^"}, {tag: tagEmoticon, pattern: ":3"},
	// --- modifiers ---
	{tag: tagThanks, pattern: "(thank_you|thanks|thank|grateful|appreciate|appreciated) (for|so_much_for|very_much_for|a_lot_for) (your|the|leaving|taking|sharing)"},
	{tag: tagResolved, pattern: "(resolved|solved|sorted|fixed|taken_care_of|settled|refund_has_been|replacement_has)"},
	{tag: tagPressure, pattern: "(must|have_to|need_to|required_to|immediately|right_away|asap|unless|or_else|otherwise|or_we|demand|insist|expect_you_to)"},
	{tag: tagNegation, pattern: "(no|not|never|without|dont|do_not|does_not|doesnt|cannot|cant|wont|will_not|neither|nor|no_need_to)"},
}
