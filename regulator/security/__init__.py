"""Authentication and the edges around it (OWASP ASVS level 2): sign-in lockout, two-factor
authentication, session lifetimes, passwords, browser hardening, throttles, API tokens and the
security log. Decision records 0780-0799 say why each part is as it is."""
