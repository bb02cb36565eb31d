"""The project: settings, the site's URLs, the links and sitemap every page shares, error
pages and the WSGI entry point."""
