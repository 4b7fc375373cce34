// Every PowerShell script labgrade runs on a Windows guest, with sample arguments (the text sent
// is winrm/powershell.ts wrapScript(script, args) on every transport). Tests and docs checks use it.
import { WINDOWS_CONFIG_SCRIPT, WINDOWS_REACH_SCRIPT, WINDOWS_RESOLVE_SCRIPT, WINDOWS_SURVEY_SCRIPT, windowsSurveyScript } from '../../grader/probes/windows.js';
import { ICMP_SCRIPT } from '../../grader/onboarding/doctor.js';
import { WINDOWS_IDENTITY } from '../../grader/probes/identity.js';

export const WINDOWS_SCRIPTS: { name: string; script: string; args: string[] }[] = [
  { name: 'probes/windows config', script: WINDOWS_CONFIG_SCRIPT, args: [] },
  { name: 'probes/windows reach', script: WINDOWS_REACH_SCRIPT, args: ['2000', '192.168.101.1', 'www.labgrade.test'] },
  { name: 'probes/windows resolve', script: WINDOWS_RESOLVE_SCRIPT, args: ['www.labgrade.test', '2000'] },
  { name: 'probes/windows survey', script: WINDOWS_SURVEY_SCRIPT, args: ['www.labgrade.test', '2000', '192.168.101.1', '198.51.100.10'] },
  // The survey as planned from fewer needs: configuration only, lookup only, pings only.
  { name: 'probes/windows survey (config only)', script: windowsSurveyScript(false, false), args: ['', '2000'] },
  { name: 'probes/windows survey (lookup only)', script: windowsSurveyScript(true, false), args: ['www.labgrade.test', '2000'] },
  { name: 'probes/windows survey (pings only)', script: windowsSurveyScript(false, true), args: ['', '2000', '192.168.101.1'] },
  { name: 'probes/identity windows', script: WINDOWS_IDENTITY, args: [] },
  { name: 'onboarding/doctor icmp', script: ICMP_SCRIPT, args: [] },
  { name: 'onboarding/doctor reachability', script: 'exit 0', args: [] },
];

