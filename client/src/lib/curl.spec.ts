import { execFileSync } from 'node:child_process';
import { curlCommand } from './curl';

describe('curlCommand', () => {
  it.each([
    ['a plain body', '{"type":"guest.checked_in"}'],
    ['a single quote in the body', `{"name":"O'Brien"}`],
    ['shell characters', '{"x":"$(rm -rf /) `id` \\" & | ; \\n"}'],
    ['non-ASCII', '{"note":"tisch für zwei 🍽️"}'],
  ])('quotes %s so the shell passes every byte through', (_name, body) => {
    const command = curlCommand({
      method: 'POST',
      url: 'http://127.0.0.1:4010/hook?a=1&b=2',
      headers: { 'webhook-id': 'evt_1', 'webhook-signature': 'v1,abc+/= v1a,def' },
      body,
    });
    expect(command.startsWith("curl -X POST 'http://127.0.0.1:4010/hook?a=1&b=2' -H 'webhook-id: evt_1'")).toBe(true);
    // The shell's own reading of the words after `curl`: what curl would be given.
    const words = execFileSync('sh', ['-c', `printf '%s\\0' ${command.slice('curl '.length)}`])
      .toString('utf8')
      .split('\0');
    expect(words.slice(0, -1)).toEqual([
      '-X',
      'POST',
      'http://127.0.0.1:4010/hook?a=1&b=2',
      '-H',
      'webhook-id: evt_1',
      '-H',
      'webhook-signature: v1,abc+/= v1a,def',
      '--data-binary',
      body,
    ]);
  });
});
