package policy

// Dates without the time package: it adds ~95 KB gzipped to policy.wasm,
// which has a 700 KB budget, and the rules only need whole days.

// civilDays returns days since 1970-01-01 for a proleptic Gregorian date
// (Howard Hinnant's days_from_civil).
func civilDays(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func digits(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// parseDate reads YYYY-MM-DD into days since the epoch.
func parseDate(s string) (int, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	y, ok1 := digits(s[:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	return civilDays(y, m, d), true
}

// parseRFC3339 reads "2006-01-02T15:04:05(.999)?(Z|+07:00)" into Unix seconds.
func parseRFC3339(s string) (int64, bool) {
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':' || s[16] != ':' {
		return 0, false
	}
	days, ok := parseDate(s[:10])
	h, ok1 := digits(s[11:13])
	mi, ok2 := digits(s[14:16])
	sec, ok3 := digits(s[17:19])
	if !ok || !ok1 || !ok2 || !ok3 || h > 23 || mi > 59 || sec > 60 {
		return 0, false
	}
	rest := s[19:]
	if len(rest) > 0 && rest[0] == '.' {
		i := 1
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 1 {
			return 0, false
		}
		rest = rest[i:]
	}
	offset := 0
	switch {
	case rest == "Z" || rest == "z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':':
		oh, ok1 := digits(rest[1:3])
		om, ok2 := digits(rest[4:6])
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return 0, false
		}
		offset = oh*3600 + om*60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	return int64(days)*86400 + int64(h*3600+mi*60+sec) - int64(offset), true
}

// daysSince returns whole days from date (YYYY-MM-DD, taken as UTC midnight)
// to now (RFC 3339, or the current time when empty).
func daysSince(date, now string) (int, bool) {
	if date == "" {
		return 0, false
	}
	d, ok := parseDate(date)
	if !ok {
		return 0, false
	}
	t := unixNow()
	if now != "" {
		if t, ok = parseRFC3339(now); !ok {
			return 0, false
		}
	}
	diff := t - int64(d)*86400
	if diff < 0 {
		return int(-((-diff + 86399) / 86400)), true
	}
	return int(diff / 86400), true
}
