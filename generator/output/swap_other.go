//go:build !linux && !darwin

package output

func exchangeFolders(a, b string) error { return errNoExchange }
