package server

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// The pairing page is a stopgap until the local web page (issue 6) takes
// over "/": it shows a pairing code and the paired browsers. Its script is a
// separate file because the CSP forbids inline script.
//
//go:embed static
var staticFS embed.FS

// webRoutes registers the JSON API the local page uses and the pairing page.
//
//	GET    /api/csrf                -> {"token"}            (also in the X-CSRF-Token header)
//	POST   /api/pairing-codes       -> {"code","expires"}   one-time code for the extension
//	GET    /api/clients             -> {"clients":[...]}    paired browsers
//	DELETE /api/clients/:id         -> 204                  unpair (drops its connections)
//	GET    /api/status              -> {"version","policy_version","policy_ready","clients_connected"}
//	GET    /pair, /static/*         the stopgap pairing page
func (s *Server) webRoutes(e *echo.Echo) {
	e.GET("/api/csrf", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"token": CSRFToken(c)})
	})
	e.POST("/api/pairing-codes", func(c echo.Context) error {
		code, exp, err := s.opt.Auth.NewPairingCode()
		if err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]any{"code": code, "expires": exp.UTC().Format(time.RFC3339)})
	})
	e.GET("/api/clients", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]any{"clients": s.opt.Auth.Clients()})
	})
	e.DELETE("/api/clients/:id", func(c echo.Context) error {
		id := c.Param("id")
		if err := s.opt.Auth.Revoke(id); err != nil {
			return echo.NewHTTPError(http.StatusNotFound, err.Error())
		}
		s.hub.dropClient(id)
		return c.NoContent(http.StatusNoContent)
	})
	e.GET("/api/status", func(c echo.Context) error {
		st := map[string]any{"version": s.opt.Version, "clients_connected": s.hub.count()}
		if s.opt.Policy != nil {
			st["policy_version"] = s.opt.Policy.Version()
			st["policy_ready"] = true
			if r, ok := s.opt.Policy.(interface{ Ready() bool }); ok {
				st["policy_ready"] = r.Ready()
			}
		}
		return c.JSON(http.StatusOK, st)
	})
	sub, _ := fs.Sub(staticFS, "static")
	e.GET("/pair", func(c echo.Context) error {
		b, err := fs.ReadFile(sub, "pair.html")
		if err != nil {
			return err
		}
		return c.HTMLBlob(http.StatusOK, b)
	})
	e.StaticFS("/static/pair", sub)
	if s.opt.Web == nil {
		e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/pair") })
	}
}
