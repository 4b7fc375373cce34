import { expect } from 'chai';
import { format, translator } from '../../grader/i18n/translate.js';
import { detectLang } from '../../grader/i18n/lang.js';

describe('i18n basics', () => {
  it('fills placeholders and keeps unknown ones visible', () => {
    expect(format('hola {name}, {missing}', { name: 'Ana' })).to.equal('hola Ana, {missing}');
  });
  it('picks the language catalog', () => {
    const t = translator({ k: 'sí' }, { k: 'yes' });
    expect(t('es', 'k')).to.equal('sí');
    expect(t('en', 'k')).to.equal('yes');
  });
  it('detects Spanish from the locale unless --lang says otherwise', () => {
    expect(detectLang(undefined, { LANG: 'es_ES.UTF-8' })).to.equal('es');
    expect(detectLang(undefined, { LANG: 'C.UTF-8' })).to.equal('en');
    expect(detectLang('en', { LANG: 'es_ES.UTF-8' })).to.equal('en');
  });
});
