package server

import (
	"crypto/hmac"
	"crypto/rand"
	"encoding/base64"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// allowedHosts are the Host header values the server answers to: loopback
// names with the listening port. Anything else is a DNS-rebinding attempt
// (evil.example resolving to 127.0.0.1) or a misdirected request.
func allowedHosts(port int) map[string]bool {
	p := strconv.Itoa(port)
	return map[string]bool{
		"127.0.0.1:" + p: true,
		"localhost:" + p: true,
		"[::1]:" + p:     true,
	}
}

// hostCheck refuses every request whose Host is not a loopback name with our
// port. It runs before routing (Echo Pre), so it covers every route,
// including unknown paths and the websocket.
func (s *Server) hostCheck(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.hosts[strings.ToLower(c.Request().Host)] {
			return echo.NewHTTPError(http.StatusForbidden, "host not allowed: this companion answers only on 127.0.0.1, localhost and [::1]")
		}
		return next(c)
	}
}

// ContentSecurityPolicy is sent on every response. No inline script or
// style, nothing from elsewhere, no framing.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		// same-origin, not no-referrer: with no-referrer Chromium sends
		// "Origin: null" on the page's own form posts, which the CSRF check
		// must refuse. Other sites still get no referrer.
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		// Other sites may not even embed our responses (no-cors reads).
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

// CSRF protection for the local web page.
//
// Three independent checks on every state-changing request (anything but
// GET, HEAD, OPTIONS):
//  1. Sec-Fetch-Site, when the browser sends it, must be same-origin or none;
//  2. Origin, when present, must be this server's own origin;
//  3. a double-submit token: the X-CSRF-Token header (or the _csrf form
//     field) must equal the csrf cookie, and the cookie must carry our
//     signature, so a cookie planted by another local service (cookies are
//     shared across ports) is worthless.
//
// The page gets the token from GET /api/csrf (JSON {"token": ...}) or from
// the X-CSRF-Token header of any GET response.
const (
	CSRFHeader    = "X-CSRF-Token"
	CSRFFormField = "_csrf"
	csrfCtxKey    = "csrf"
)

func (s *Server) csrfCookieName() string { return "rg_csrf_" + strconv.Itoa(s.port) }

func (s *Server) newCSRFToken() string {
	nonce := make([]byte, 18)
	rand.Read(nonce)
	sig := s.opt.Auth.Sign("csrf", nonce)[:18]
	return base64.RawURLEncoding.EncodeToString(nonce) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func (s *Server) validCSRFToken(tok string) bool {
	a, b, ok := strings.Cut(tok, ".")
	if !ok {
		return false
	}
	nonce, err1 := base64.RawURLEncoding.DecodeString(a)
	sig, err2 := base64.RawURLEncoding.DecodeString(b)
	if err1 != nil || err2 != nil || len(nonce) != 18 {
		return false
	}
	return hmac.Equal(sig, s.opt.Auth.Sign("csrf", nonce)[:18])
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		name := s.csrfCookieName()
		var cookieTok string
		if ck, err := r.Cookie(name); err == nil && s.validCSRFToken(ck.Value) {
			cookieTok = ck.Value
		}
		if safeMethod(r.Method) {
			if cookieTok == "" {
				cookieTok = s.newCSRFToken()
				c.SetCookie(&http.Cookie{Name: name, Value: cookieTok, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			}
			c.Set(csrfCtxKey, cookieTok)
			c.Response().Header().Set(CSRFHeader, cookieTok)
			return next(c)
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			return echo.NewHTTPError(http.StatusForbidden, "cross-site request refused (Sec-Fetch-Site: "+site+")")
		}
		if origin := r.Header.Get("Origin"); origin != "" && !s.selfOrigin(origin) {
			return echo.NewHTTPError(http.StatusForbidden, "cross-origin request refused (Origin: "+origin+")")
		}
		sent := r.Header.Get(CSRFHeader)
		if sent == "" {
			ct := r.Header.Get("Content-Type")
			if strings.HasPrefix(ct, "application/x-www-form-urlencoded") || strings.HasPrefix(ct, "multipart/form-data") {
				sent = c.FormValue(CSRFFormField)
			}
		}
		if cookieTok == "" || sent == "" || !hmac.Equal([]byte(sent), []byte(cookieTok)) {
			return echo.NewHTTPError(http.StatusForbidden, "missing or invalid CSRF token")
		}
		c.Set(csrfCtxKey, cookieTok)
		return next(c)
	}
}

// selfOrigin reports whether origin is this server's own page.
func (s *Server) selfOrigin(origin string) bool {
	h, ok := strings.CutPrefix(origin, "http://")
	return ok && s.hosts[strings.ToLower(h)]
}

// CSRFToken returns the CSRF token for the current request, for pages
// rendered on the server (put it in a form's _csrf field).
func CSRFToken(c echo.Context) string {
	v, _ := c.Get(csrfCtxKey).(string)
	return v
}

// IsLoopback reports whether addr ("host:port") names a loopback IP.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
