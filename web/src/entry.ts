/*
 * The one script index.html loads. The public pages (rating links, posters, kiosks, published
 * figures) are opened on phones over slow connections: they load their own small bundle and never
 * the console's (Ant Design, charts). Everything else is the console.
 */
const PUBLIC_PATH = /^\/((r|q|kiosk|j|public)\/|ballot\/?$)/;

if (PUBLIC_PATH.test(window.location.pathname)) void import('./public/main');
else void import('./main');
