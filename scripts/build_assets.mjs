// Copies GOV.UK Frontend and MOJ Frontend (installed from npm) into public/assets, where their
// compiled CSS expects its fonts and images (/assets/...). WhiteNoise serves public/ at the root.
import { cpSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'public', 'assets')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const moj = join(root, 'node_modules', '@ministryofjustice', 'frontend', 'moj')

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
cpSync(join(govuk, 'assets'), out, { recursive: true })
cpSync(join(moj, 'assets'), out, { recursive: true })
for (const [dir, file] of [
  [govuk, 'govuk-frontend.min.css'], [govuk, 'govuk-frontend.min.js'],
  [moj, 'moj-frontend.min.css'], [moj, 'moj-frontend.min.js']
]) {
  cpSync(join(dir, file), join(out, file))
}
console.log(`front-end assets copied to ${out}`)
