// Numbers, hashes and times as people read them; every value from the node is hex text.
import { h } from './dom.js';
import { lang } from './i18n.js';

export const big = hex => (hex === null || hex === undefined ? null : BigInt(hex));
export const num = hex => (hex === null || hex === undefined ? null : Number(BigInt(hex)));

export function grouped(value) {
  return BigInt(value).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-US');
}

// An amount in the chain's smallest unit as a decimal with 18 places, trailing zeros dropped.
export function units(wei, decimals = 18) {
  const value = BigInt(wei);
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const base = 10n ** BigInt(decimals);
  const whole = (abs / base).toLocaleString('en-US');
  const fraction = (abs % base).toString().padStart(decimals, '0').replace(/0+$/, '');
  return sign + whole + (fraction ? '.' + fraction : '');
}

export function short(hex, keep = 8) {
  return hex && hex.length > 2 * keep + 4 ? hex.slice(0, keep + 2) + '…' + hex.slice(-keep) : hex;
}

export function dateTime(seconds) {
  return new Date(seconds * 1000).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB',
    { hour12: false });
}

export function ago(seconds, now = Date.now() / 1000) {
  const d = Math.max(0, Math.round(now - seconds));
  const zh = lang() === 'zh';
  if (d < 60) return zh ? `${d} 秒前` : `${d}s ago`;
  if (d < 3600) return zh ? `${Math.floor(d / 60)} 分钟前` : `${Math.floor(d / 60)}m ago`;
  if (d < 86400) return zh ? `${Math.floor(d / 3600)} 小时前` : `${Math.floor(d / 3600)}h ago`;
  return zh ? `${Math.floor(d / 86400)} 天前` : `${Math.floor(d / 86400)}d ago`;
}

export const blockLink = n => h('a', { href: '#/block/' + BigInt(n), class: 'mono' },
  '#' + BigInt(n).toString());
export const txLink = (hash, full) => h('a', { href: '#/tx/' + hash, class: 'mono',
  title: hash }, full ? hash : short(hash));
export const addressLink = (address, label) => address
  ? h('a', { href: '#/address/' + address, class: 'mono', title: address },
    label || short(address, 6))
  : '—';

export const isHash = s => /^0x[0-9a-fA-F]{64}$/.test(s);
export const isAddress = s => /^0x[0-9a-fA-F]{40}$/.test(s);
export const isBlockNumber = s => /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,19})$/.test(s);
export const quantity = n => '0x' + BigInt(n).toString(16);
